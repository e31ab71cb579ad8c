import XCTest
@testable import Jinja

/// Runs every case of `LanguageOracleCases` (expected results produced by Python).
final class LanguageOracleTests: XCTestCase {
    func testOracleCases() throws {
        var failures = 0
        for oracleCase in LanguageOracleCases.all {
            let env = LanguageTestSupport.makeEnvironment()
            // Ansible's templar (the oracle of cases without options) uses trim_blocks.
            env.trimBlocks = oracleCase.options == nil && oracleCase.files == nil
            if let options = oracleCase.options, let dict = try Value.parseJSON(options).dictValue {
                env.trimBlocks = dict["trim_blocks"]?.isTruthy ?? false
                env.lstripBlocks = dict["lstrip_blocks"]?.isTruthy ?? false
                env.keepTrailingNewline = dict["keep_trailing_newline"]?.isTruthy ?? false
            }
            if let files = oracleCase.files, let dict = try Value.parseJSON(files).dictValue {
                var map: [String: String] = [:]
                for (k, v) in dict { map[k] = v.stringValue ?? "" }
                env.loader = DictionaryLoader(files: map)
            }
            let vars = try LanguageTestSupport.variables(oracleCase.variables)
            let label = "template \(oracleCase.source.debugDescription)"
            do {
                let template = try env.template(oracleCase.source)
                switch oracleCase.expected {
                case .native(let json):
                    let expected = try Value.parseJSON(json)
                    let actual = try template.renderNative(vars)
                    if actual.pythonRepr != expected.pythonRepr {
                        failures += 1
                        XCTFail("\(label): expected \(expected.pythonRepr), got \(actual.pythonRepr)")
                    }
                case .text(let text):
                    let actual = try template.render(vars)
                    if actual != text {
                        failures += 1
                        XCTFail("\(label): expected \(text.debugDescription), got \(actual.debugDescription)")
                    }
                case .error(let message):
                    let actual = try template.renderNative(vars)
                    failures += 1
                    XCTFail("\(label): expected error \(message.debugDescription), got \(actual.pythonRepr)")
                }
            } catch let error as JinjaError {
                guard case .error(let message) = oracleCase.expected, message.hasPrefix(error.message) || error.message == message else {
                    failures += 1
                    XCTFail("\(label): unexpected error \(error.message)")
                    continue
                }
            }
        }
        print("LanguageOracleTests: \(LanguageOracleCases.all.count - failures)/\(LanguageOracleCases.all.count) oracle cases passed")
    }
}
