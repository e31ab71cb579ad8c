import XCTest
import Jinja
@testable import Troupe

/// The crypto primitives under the vault format, checked against published vectors
/// (FIPS-197 appendix C.3, RFC 4231, and PBKDF2-SHA256 values computed with Python's hashlib).
final class VaultCryptoTests: XCTestCase {
    private func bytes(_ hex: String) -> [UInt8] { (try? Vault.unhexlify(Array(hex.utf8))) ?? [] }

    func testAES256MatchesFIPS197() throws {
        let key = bytes("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
        let cipher = try XCTUnwrap(AES256(key: key))
        let block = cipher.encryptBlock(bytes("00112233445566778899aabbccddeeff"))
        XCTAssertEqual(Digest.hex(block), "8ea2b7ca516745bfeafc49904b496089")
        XCTAssertNil(AES256(key: [1, 2, 3]))
    }

    func testAES256CTRMatchesNISTSP800_38A() throws {
        // SP 800-38A F.5.5 CTR-AES256.Encrypt, first two blocks.
        let key = bytes("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4")
        let cipher = try XCTUnwrap(AES256(key: key))
        let counter = bytes("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff")
        let plain = bytes("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51")
        let encrypted = cipher.ctr(plain, counter: counter)
        XCTAssertEqual(Digest.hex(encrypted), "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5")
        XCTAssertEqual(cipher.ctr(encrypted, counter: counter), plain)
    }

    func testHMACSHA256MatchesRFC4231() {
        let case1 = HMACSHA256.authenticate(Array("Hi There".utf8), key: [UInt8](repeating: 0x0b, count: 20))
        XCTAssertEqual(Digest.hex(case1), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        let case2 = HMACSHA256.authenticate(Array("what do ya want for nothing?".utf8), key: Array("Jefe".utf8))
        XCTAssertEqual(Digest.hex(case2), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // Case 6: a key longer than the block size is hashed first.
        let case6 = HMACSHA256.authenticate(Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
                                            key: [UInt8](repeating: 0xaa, count: 131))
        XCTAssertEqual(Digest.hex(case6), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    func testPBKDF2SHA256Vectors() {
        XCTAssertEqual(Digest.hex(HMACSHA256.pbkdf2(password: Array("password".utf8), salt: Array("salt".utf8),
                                                    iterations: 1, length: 32)),
                       "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b")
        XCTAssertEqual(Digest.hex(HMACSHA256.pbkdf2(password: Array("password".utf8), salt: Array("salt".utf8),
                                                    iterations: 4096, length: 32)),
                       "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a")
        XCTAssertEqual(Digest.hex(HMACSHA256.pbkdf2(password: Array("passwordPASSWORDpassword".utf8),
                                                    salt: Array("saltSALTsaltSALTsaltSALTsaltSALTsalt".utf8),
                                                    iterations: 4096, length: 40)),
                       "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9")
    }

    func testVaultKeyDerivationMatchesAnsible() {
        // 10,000 iterations and 80 bytes, as ansible-vault derives its AES key, HMAC key and counter.
        let derived = HMACSHA256.pbkdf2(password: Array("hunter2".utf8), salt: Array("0123456789abcdef0123456789abcdef".utf8),
                                        iterations: Vault.iterations, length: 80)
        XCTAssertEqual(Digest.hex(derived),
                       "86915983adb7f6e6dbda52d68d9e34b6e397fd9c8cbde0c4e81f3af39e4f791ed06602e3a699f978"
                       + "dcfc0001fdd745180bcbfd746d49f0e7fbec9438b6c064579f18157ae7913b12315513769dcfbee7")
    }
}
