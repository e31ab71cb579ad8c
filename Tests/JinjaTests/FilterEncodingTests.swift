import XCTest
@testable import Jinja

final class FilterEncodingTests: XCTestCase {
    func testDigests() throws {
        XCTAssertEqual(try filter("md5", ""), "d41d8cd98f00b204e9800998ecf8427e")
        XCTAssertEqual(try filter("md5", 5), "e4da3b7fbbce2345d7772b0674a318d5")
        XCTAssertEqual(try filter("sha1", "x"), "11f6ad8ec52a2984abaafd7c3b516503785c2072")
        XCTAssertEqual(try filter("checksum", "x"), "11f6ad8ec52a2984abaafd7c3b516503785c2072")
        XCTAssertEqual(try filter("hash", "x", "md5"), "9dd4e461268c8034f5c8564e155c67a6")
        XCTAssertEqual(try filter("hash", "x"), "11f6ad8ec52a2984abaafd7c3b516503785c2072")
        XCTAssertEqual(try filter("hash", "ünïcode", "sha256"), "b8be8967e4de3eb294835b1748184523179767250c2d510451e9d3a03df08977")
        XCTAssertEqual(try filter("hash", "x", "sha224"), "54a2f7f92a5f975d8096af77a126edda7da60c5aa872ef1b871701ae")
        XCTAssertEqual(try filter("hash", "x", "sha384"),
                       "d752c2c51fba0e29aa190570a9d4253e44077a058d3297fa3a5630d5bd012622f97c28acaed313b5c83bb990caa7da85")
        XCTAssertEqual(try filter("hash", "x", "sha512"),
                       "a4abd4448c49562d828115d13a1fccea927f52b4d5459297f8b43e42da89238bc13626e43dcb38ddb082488927ec904fb42057443983e88585179d50551afe62")
        // Multi-block input (> 64 and > 128 bytes).
        let long = String(repeating: "abcdefghij", count: 20)
        XCTAssertEqual(Digest.hexDigest(long, .md5), "9672d27dc1fd1ee79a970bad8c5aec30")
        XCTAssertEqual(Digest.hexDigest(long, .sha1), "a479b92697a6453a1b63833b1301c3dbecc97bce")
        XCTAssertEqual(Digest.hexDigest(long, .sha256), "5d21f71a6600f3754431bf20ce4c69e7ff23f66d3140b8a8346e5e26eab201dc")
        XCTAssertEqual(Digest.hexDigest(long, .sha512),
                       "e497541fc5cdcdc3adaedd4758e23a1ee6c91ab3217d1d6082cdfa9721e7b3886dadb81353663445c21669bba931ddc86d97d099f6acc4eadb498a768e1bedae")
        // Padding boundaries: 55/56 bytes for 64-byte blocks, 112 for 128-byte blocks.
        XCTAssertEqual(Digest.hexDigest(String(repeating: "a", count: 55), .sha256), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        XCTAssertEqual(Digest.hexDigest(String(repeating: "a", count: 56), .sha256), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        XCTAssertEqual(Digest.hexDigest(String(repeating: "a", count: 112), .sha512),
                       "c01d080efd492776a1c43bd23dd99d0a2e626d481e16782e75d54c2503b5dc32bd05f0f1ba33e568b88fd2d970929b719ecbb152f58f130a407c8830604b70ca")
        assertJinjaError(.filter, "unsupported hash type nope") { try filter("hash", "x", "nope") }
    }

    func testPasswordHash() throws {
        XCTAssertEqual(try filter("password_hash", "secret", "sha512", "mysalt", kwargs: ["rounds": 5000]),
                       "$6$mysalt$UX6P1VKOf6dr0s2pg4pLNvIUB6hLXvP6M5f/Yj9hJgMPdAJ4oArvk5YUD9/XWtk1JOpVwt/JTsczMJr8sFVML1")
        XCTAssertEqual(try filter("password_hash", "secret", "sha256", "mysalt", kwargs: ["rounds": 5000]),
                       "$5$mysalt$I2SNajjJ3Gc5gIR/tkrLOGngF8wqv59buJCqxh.o9s8")
        XCTAssertEqual(try filter("password_hash", "a much longer password that exceeds sixty-four bytes in total length for sure yes",
                                  "sha512", "salt", kwargs: ["rounds": 1000]),
                       "$6$rounds=1000$salt$1Lf07LZQIHsioYAtRstsGg65HBKJD/qXY7UudLUFicKTtah9Pw3057y6.OnuY2bYZCYfLW6y0OU72A8TSWSmK1")
        XCTAssertEqual(try filter("password_hash", "a much longer password that exceeds thirty-two bytes", "sha256", "salt",
                                  kwargs: ["rounds": 1000]),
                       "$5$rounds=1000$salt$Pq.qgualDl3drIBvPrxU9IZoMFXrvBfCL2G8332poG6")
        XCTAssertEqual(try filter("password_hash", "secret", "md5", "mysalt"), "$1$mysalt$n/EfEiV74OYgBdqhKQzSW/")
        XCTAssertEqual(try filter("password_hash", "", "md5", "ab"), "$1$ab$rn6aQS/o7141mj179E/zA.")
        let random = try filter("password_hash", "pw", "sha512", kwargs: ["rounds": 5000]).stringValue ?? ""
        XCTAssertTrue(random.hasPrefix("$6$"))
        XCTAssertEqual(random.split(separator: "$").map(\.count), [1, 16, 86])
        assertJinjaError(.filter, "salt too large (sha512_crypt requires <= 16 chars)") {
            try filter("password_hash", "x", "sha512", "abcdefghijklmnopqrstu", kwargs: ["rounds": 5000])
        }
        assertJinjaError(.filter, "invalid characters in sha512_crypt salt") { try filter("password_hash", "x", "sha512", "bad$salt") }
        assertJinjaError(.filter, "min_desired_rounds (10) is too low") { try filter("password_hash", "x", "sha512", kwargs: ["rounds": 10]) }
        assertJinjaError(.filter, "foo is not in the list of supported passlib algorithms") { try filter("password_hash", "x", "foo") }
    }

    func testUUIDAndBase64() throws {
        XCTAssertEqual(try filter("to_uuid", "x"), "66b2f013-1baa-5313-9c8c-e6f1182e0e90")
        XCTAssertEqual(try filter("to_uuid", "hello"), "9518e9b7-3af9-5e6c-b924-2eac65ffcd8e")
        XCTAssertEqual(try filter("to_uuid", "hello", kwargs: ["namespace": "6ba7b810-9dad-11d1-80b4-00c04fd430c8"]),
                       "9342d47a-1bab-5709-9869-c840b2eac501")
        assertJinjaError(.filter, "Invalid value 'bad' for 'namespace'") { try filter("to_uuid", "x", "bad") }
        XCTAssertEqual(try filter("b64encode", "ü"), "w7w=")
        XCTAssertEqual(try filter("b64encode", "/+?"), "Lys/")
        XCTAssertEqual(try filter("b64encode", "/+?", kwargs: ["urlsafe": true]), "Lys_")
        XCTAssertEqual(try filter("b64decode", "w7w="), "ü")
        XCTAssertEqual(try filter("b64decode", "Lys_", kwargs: ["urlsafe": true]), "/+?")
        assertJinjaError(.filter, "Incorrect padding") { try filter("b64decode", "w7w") }
        assertJinjaError(.filter, "number of data characters (1)") { try filter("b64decode", "x") }
        XCTAssertEqual(try filter("b64encode", "ü", "utf-16"), "//78AA==")
        XCTAssertEqual(try filter("b64decode", "//78AA==", "utf-16"), "ü")
        XCTAssertEqual(try filter("b64encode", "ü", kwargs: ["encoding": "utf-16-be"]), "APw=")
    }

    func testQuoteAndURLs() throws {
        XCTAssertEqual(try filter("quote", nil), "''")
        XCTAssertEqual(try filter("quote", "a b"), "'a b'")
        XCTAssertEqual(try filter("quote", "it's"), "'it'\"'\"'s'")
        XCTAssertEqual(try filter("quote", "safe-path/x.txt"), "safe-path/x.txt")
        XCTAssertEqual(try filter("urlsplit", "http://u:p@h.com:90/d?q=1#f"),
                       ["fragment": "f", "hostname": "h.com", "netloc": "u:p@h.com:90", "password": "p", "path": "/d",
                        "port": 90, "query": "q=1", "scheme": "http", "username": "u"])
        XCTAssertEqual(try filter("urlsplit", "http://[::1]:80/p", "hostname"), "::1")
        XCTAssertEqual(try filter("urlsplit", "http://h/p", "port"), nil)
        XCTAssertEqual(try filter("urlsplit", "mailto:x@y", "path"), "x@y")
        assertJinjaError(.filter, "urlsplit: unknown URL component: nope") { try filter("urlsplit", "http://h/p", "nope") }
        XCTAssertEqual(try filter("urldecode", "a%20b+c"), "a b c")
        XCTAssertEqual(try filter("urldecode", "a%2Fb%zz"), "a/b%zz")
    }
}
