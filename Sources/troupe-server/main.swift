import TroupeController

print("troupe-server \(TroupeControllerVersion.version)")
