import XCTest

/// Conformance fixtures for ansible-core's builtin file-format lookups and vault filters,
/// recorded from ansible-playbook by scripts/conformance/record.py.
extension ConformanceTests {
    /// The fixtures tested here (checked by testEveryPlaybookHasATest).
    static let lookupFixtures = ["it_lookup_formats", "community_native"]

    func testINIAndCSVLookupsAndVaultFilters() throws { try check("it_lookup_formats") }
    /// Recorded with community.general installed; troupe answers natively, without it.
    func testCommunityGeneralDictKVAndFlattenedAreNative() throws { try check("community_native") }
}
