import Foundation
import XCTest
@testable import Troupe

/// Uploads cut off (the connection lost, the run interrupted) leave no `.troupe_tmp_*`
/// file, and a failed write says why in the host's words.
extension SSHConnectionTests {
    private func temporaries() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: lab.workDirectory)) ?? []).filter { $0.hasPrefix(".troupe_tmp_") }
    }

    /// Starts `putFile` from a FIFO (so the upload stays in progress until the test writes
    /// and closes it) and returns once the temporary file exists on the host.
    private func startUpload(_ conn: SSHConnection, name: String) throws -> (writer: FileHandle, done: DispatchSemaphore, error: () -> Error?) {
        let fifo = NSTemporaryDirectory() + "troupe-fifo-\(UUID().uuidString)"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        final class Outcome: @unchecked Sendable { var error: Error? }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let destination = lab.workDirectory + "/" + name
        Thread.detachNewThread {
            do {
                try conn.putFile(fifo, to: destination, attributes: FileAttributes(), become: nil)
            } catch {
                outcome.error = error
            }
            done.signal()
        }
        let writer = try XCTUnwrap(FileHandle(forWritingAtPath: fifo))  // opens once putFile reads
        unlink(fifo)
        writer.write(Data(count: 1 << 20))
        XCTAssertTrue(waitUntil(10) { !temporaries().isEmpty }, "the upload never created its temporary file")
        return (writer, done, { outcome.error })
    }

    func testAnUploadCutByALostConnectionLeavesNoTemporaryFile() throws {
        let conn = connection()
        XCTAssertEqual(try conn.run(CommandRequest(.shell("true"))).rc, 0)
        let upload = try startUpload(conn, name: "lost-\(UUID().uuidString)")
        // The per-connection sshd processes die (as when the worker or the network goes):
        // the remote shell reads end of file, and its exit trap removes the partial upload.
        for pid in try SSHLab.sh("pgrep -u root -f 'sshd: \(SSHLab.user)' || true").split(separator: "\n").compactMap({ Int32($0) }) {
            kill(pid, SIGKILL)
        }
        XCTAssertTrue(waitUntil(10) { temporaries().isEmpty }, "temporary upload left behind: \(temporaries())")
        upload.writer.closeFile()
        XCTAssertEqual(upload.done.wait(timeout: .now() + 20), .success)
        XCTAssertNotNil(upload.error(), "an upload whose connection died cannot succeed")
    }

    func testAnInterruptedUploadStopsAndRemovesItsTemporaryFile() throws {
        let conn = connection()
        let name = "interrupted-\(UUID().uuidString)"
        let upload = try startUpload(conn, name: name)
        conn.interrupt()
        upload.writer.write(Data(count: 8 << 20))
        upload.writer.closeFile()
        XCTAssertEqual(upload.done.wait(timeout: .now() + 20), .success)
        XCTAssertEqual(upload.error().map(TaskErrorText.message), "the run was cancelled")
        XCTAssertTrue(waitUntil(5) { temporaries().isEmpty }, "temporary upload left behind: \(temporaries())")
        XCTAssertFalse(FileManager.default.fileExists(atPath: lab.workDirectory + "/" + name))
    }

    /// SFTP says only "Failure" for a full disk; the error names the host's reason.
    func testAFullDiskIsReportedAsNoSpaceLeftOnDevice() throws {
        let mountPoint = lab.workDirectory + "/full-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        guard (try? SSHLab.sh("mount -t tmpfs -o size=512k,mode=0777 tmpfs \(mountPoint)")) != nil else {
            throw XCTSkip("cannot mount a tmpfs here (needs CAP_SYS_ADMIN)")
        }
        defer { _ = try? SSHLab.sh("umount \(mountPoint)"); try? FileManager.default.removeItem(atPath: mountPoint) }
        let conn = connection()
        XCTAssertThrowsError(try conn.put(Data(count: 2 << 20), to: mountPoint + "/big.bin", attributes: FileAttributes(), become: nil)) { error in
            let message = TaskErrorText.message(error)
            XCTAssertTrue(message.hasSuffix("No space left on device"), message)
            XCTAssertFalse(message.contains("sftp error"), message)
        }
        let left = (try? FileManager.default.contentsOfDirectory(atPath: mountPoint)) ?? []
        XCTAssertEqual(left, [], "the partial upload was not removed")
    }
}
