import Troupe
print("troupe")
