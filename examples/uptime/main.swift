import Troupe
print("uptime")
