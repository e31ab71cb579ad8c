import Testing
@testable import TroupeController

@Test func versionIsSet() { #expect(!TroupeControllerVersion.version.isEmpty) }
