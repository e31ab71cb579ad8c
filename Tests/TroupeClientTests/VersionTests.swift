import Testing
@testable import TroupeClient

@Test func versionIsSet() { #expect(!TroupeClientVersion.version.isEmpty) }
