import XCTest
@testable import Troupe

/// JUnit times are written as Python's `str(Decimal(float))` and sums of those; the expected
/// strings below were printed by CPython 3.11's decimal module for the same doubles.
final class PythonDecimalTests: XCTestCase {
    private static let cases: [(bits: UInt64, text: String)] = [
        (0x3fb74a1400000000, "0.0909740924835205078125"),
        (0x3ff846d780000000, "1.517295360565185546875"),
        (0x3f22c00000000000, "0.0001430511474609375"),
        (0x4000000000000000, "2"),
        (0x3e7ad7f29abcaf48, "9.99999999999999954748111825886258685613938723690807819366455078125E-8"),
        (0x405edd2f1a9fbe77, "123.4560000000000030695446184836328029632568359375"),
        (0x3fe0000000000000, "0.5"),
        (0x3ff0000000000001, "1.0000000000000002220446049250313080847263336181640625"),
        (0x400800000d6bf94d, "3.000000099999999836342112757847644388675689697265625"),
        (0x3fd4b9ad0f953a6e, "0.32383276483316236760146011874894611537456512451171875"),
        (0x3fd944c9c5351d22, "0.39482349642317349225351108543691225349903106689453125"),
        (0x3f12fd1deddb0313, "0.000072436286667542767385256918810654269691440276801586151123046875"),
        (0x3f18acf5ce8afb1b, "0.000094130041939682556717365613518921918512205593287944793701171875"),
        (0x3f0e687be181a127, "0.0000579989247747068065587210117239891360441106371581554412841796875"),
    ]

    func testExactValueOfDoubles() {
        for (bits, text) in Self.cases {
            XCTAssertEqual(PythonDecimal(Double(bitPattern: bits)).description, text)
        }
        XCTAssertEqual(PythonDecimal(0.0).description, "0")
    }

    func testSumsRoundToTwentyEightDigits() {
        let all = Self.cases.map { PythonDecimal(Double(bitPattern: $0.bits)) }.reduce(PythonDecimal.zero, +)
        XCTAssertEqual(all.description, "132.2832935307058879121044643")
        let small = [0.3, 0.7000000000000001, 1 + 0x1p-52].map(PythonDecimal.init).reduce(PythonDecimal.zero, +)
        XCTAssertEqual(small.description, "2.000000000000000277555756156")
    }
}
