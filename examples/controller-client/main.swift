// First steps with TroupeClient, a port of AYON's first-steps example.
//
//   export TROUPE_SERVER_URL=http://127.0.0.1:8052 TROUPE_API_KEY=…   (or CONTROLLER_HOST/…)
//   controller-client              # lists the job templates
//   controller-client "Deploy"     # launches it, streams its output, prints the final status
//
// The exit status is 0 only when the job succeeds.
import Foundation
import TroupeClient

func run() async -> Int32 {
    do {
        // The process-wide connection, read from the environment on first use.
        let api = try ServerAPI.connection()

        print("Job templates:")
        for try await template in api.list(JobTemplate.self, ["order_by": "name"]) {
            print("  \(template.id)\t\(template.name)")
        }

        let arguments = CommandLine.arguments.dropFirst()
        guard let templateName = arguments.first else { return 0 }

        let job = try await api.launch(jobTemplate: .name(templateName))
        print("launched job \(job.id)")
        for try await event in job.events where !event.stdout.isEmpty {
            print(event.stdout)
        }
        let finished = try await job.wait()
        print("status: \(finished.status)")
        return finished.isSuccessful ? 0 : 1
    } catch {
        FileHandle.standardError.write(Data("controller-client: \(error)\n".utf8))
        return 2
    }
}

exit(await run())
