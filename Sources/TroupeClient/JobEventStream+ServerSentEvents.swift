import AsyncHTTPClient
import Foundation
import NIOCore

/// Troupe's live event stream: `GET <job>/stream/?after=COUNTER` answers server-sent events,
/// `event: job_event` with the event's JSON as data, in counter order, then `event: end` once
/// the job's events are all stored. AWX has no such endpoint (404): the feed then uses the
/// WebSocket or polls.
extension EventFeed {
    enum StreamOutcome {
        /// `event: end` arrived: every event has been given out.
        case finished
        /// No stream here, or it broke off: carry on with the other ways.
        case unavailable
    }

    mutating func streamServerSentEvents(continuation: AsyncThrowingStream<JobEvent, Error>.Continuation) async throws
        -> StreamOutcome
    {
        let api = try job.connection()
        let lastCounter = seen.max() ?? 0
        let (url, _) = api.resolve(job.relatedPath("stream"), query: [(name: "after", value: String(lastCounter))])
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "text/event-stream")
        request.headers.add(name: "User-Agent", value: "TroupeClient/\(TroupeClientVersion.version)")
        if let credentials = api.credentials { request.headers.add(name: "Authorization", value: credentials.authorizationHeader) }
        let response: HTTPClientResponse
        do {
            // The timeout covers the answer's head; the body then streams for as long as the job runs.
            response = try await api.httpClient.execute(request, timeout: .milliseconds(Int64(api.options.timeout * 1000)))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            return .unavailable
        }
        guard response.status.code == 200,
              response.headers.first(name: "Content-Type")?.hasPrefix("text/event-stream") == true
        else {
            _ = try? await response.body.collect(upTo: 1 << 20)
            return .unavailable
        }
        var pending = Data()
        do {
            for try await chunk in response.body {
                pending.append(contentsOf: chunk.readableBytesView)
                while let range = pending.range(of: Data("\n\n".utf8)) {
                    let block = String(decoding: pending[pending.startIndex..<range.lowerBound], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex..<range.upperBound)
                    let (name, data) = Self.parseServerSentEvent(block)
                    if name == "end" { return .finished }
                    guard name == "job_event" || name == "message",
                          let fields = try? JSONValue.parse(Data(data.utf8)).objectValue
                    else { continue }
                    let event = JobEvent(fields: fields)
                    guard !seen.contains(event.counter) else { continue }
                    seen.insert(event.counter)
                    nextLine = max(nextLine, event.endLine)
                    continuation.yield(event)
                }
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            return .unavailable
        }
        return .unavailable
    }

    /// One server-sent event block: its `event:` name (`message` when absent) and its `data:`
    /// lines joined by newlines. Comment lines (`:`) and other fields are ignored.
    static func parseServerSentEvent(_ block: String) -> (name: String, data: String) {
        var name = "message"
        var data: [String] = []
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.hasPrefix(":") { continue }
            let field = line.prefix { $0 != ":" }
            var value = line.dropFirst(field.count)
            if value.hasPrefix(":") { value = value.dropFirst() }
            if value.hasPrefix(" ") { value = value.dropFirst() }
            switch field {
            case "event": name = String(value)
            case "data": data.append(String(value))
            default: break
            }
        }
        return (name, data.joined(separator: "\n"))
    }
}
