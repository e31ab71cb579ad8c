import Foundation
import XCTest
@testable import TroupeController

final class LaunchPlanTests: XCTestCase {
    private func template(ask: Set<String> = [], survey: String? = nil) -> LaunchTemplate {
        var t = LaunchTemplate(id: 5, name: "deploy")
        t.inventoryID = 2
        t.playbook = "site.yml"
        t.limit = "web"
        t.extraVarsJSON = #"{"base": 1}"#
        t.ask = ask
        if let survey {
            t.surveyEnabled = true
            t.surveySpecJSON = survey
        }
        return t
    }

    func testPromptsTheTemplateAllowsAreTakenOthersIgnored() throws {
        let body: [String: Any] = ["limit": "db", "job_tags": "x", "verbosity": 2, "extra_vars": #"{"a": 1}"#]
        let plan = try LaunchPlan.make(template(ask: ["limit", "verbosity"]), body: body).get()
        XCTAssertEqual(plan.job.limit, "db")
        XCTAssertEqual(plan.job.verbosity, 2)
        XCTAssertEqual(plan.job.jobTags, "")
        XCTAssertEqual(plan.ignoredFields["job_tags"] as? String, "x")
        XCTAssertEqual((plan.ignoredFields["extra_vars"] as? [String: Any])?["a"] as? Int, 1)
        XCTAssertEqual(plan.job.extraVars, #"{"base":1}"#)
        let asked = try LaunchPlan.make(template(ask: ["variables"]), body: ["extra_vars": ["a": 1]]).get()
        XCTAssertEqual(asked.job.extraVars, #"{"a":1,"base":1}"#)
        XCTAssertTrue(asked.ignoredFields.isEmpty)
    }

    func testSurveyValidationDefaultsAndRedaction() throws {
        let spec = """
        {"name": "", "description": "", "spec": [
          {"variable": "release", "type": "text", "required": true, "min": 2, "max": 5, "question_name": "r"},
          {"variable": "count", "type": "integer", "required": false, "min": 1, "max": 3, "default": 2},
          {"variable": "color", "type": "multiplechoice", "required": false, "choices": "red\\nblue"},
          {"variable": "token", "type": "password", "required": true}
        ]}
        """
        let t = template(survey: spec)
        guard case .failure(let missing) = LaunchPlan.make(t, body: [:]) else { return XCTFail("launch without answers must fail") }
        XCTAssertEqual(missing.body["variables_needed_to_start"] as? [String], ["'release' value missing", "'token' value missing"])
        guard case .failure(let bad) = LaunchPlan.make(t, body: ["extra_vars": ["release": "toolong", "count": 9, "color": "green", "token": "s"]]) else {
            return XCTFail("bad answers must fail")
        }
        XCTAssertEqual(bad.body["variables_needed_to_start"] as? [String], [
            "'release' value toolong is too large (must be no more than 5).",
            "'count' value 9 is too large (must be no more than 3).",
            "Value green for 'color' expected to be one of ['red', 'blue'].",
        ])
        let plan = try LaunchPlan.make(t, body: ["extra_vars": ["release": "v1", "token": "s3cret", "other": 1]]).get()
        let vars = try XCTUnwrap(LaunchPlan.parseVars(plan.job.extraVars))
        XCTAssertEqual(vars["release"] as? String, "v1")
        XCTAssertEqual(vars["count"] as? Int, 2, "the default fills an unanswered question")
        XCTAssertEqual(vars["token"] as? String, "s3cret", "the run gets the secret")
        XCTAssertEqual(plan.displayExtraVars["token"] as? String, "$encrypted$", "display never shows it")
        XCTAssertNotNil(plan.ignoredFields["extra_vars"], "non-survey variables are ignored without ask_variables_on_launch")
    }

    func testPasswordsAndInventoryNeededToStart() {
        var t = template()
        t.passwordsNeeded = ["ssh_password"]
        guard case .failure(let error) = LaunchPlan.make(t, body: [:]) else { return XCTFail("must need the password") }
        XCTAssertEqual(error.body["passwords_needed_to_start"] as? [String], ["ssh_password"])
        XCTAssertNoThrow(try LaunchPlan.make(t, body: ["ssh_password": "pw"]).get())
        let info = LaunchPlan.launchInfo(t)
        XCTAssertEqual(info["passwords_needed_to_start"] as? [String], ["ssh_password"])
        XCTAssertEqual(info["can_start_without_user_input"] as? Bool, false)
        XCTAssertEqual(info["ask_limit_on_launch"] as? Bool, false)
        t.inventoryID = nil
        guard case .failure(let noInventory) = LaunchPlan.make(t, body: ["ssh_password": "pw"]) else { return XCTFail("needs inventory") }
        XCTAssertNotNil(noInventory.body["inventory"])
    }

    func testChildrenSummaryCountsDescendants() {
        let events = [
            ChildrenSummary.Event(counter: 1, uuid: "pb", parentUUID: nil, event: "playbook_on_start"),
            ChildrenSummary.Event(counter: 2, uuid: "play", parentUUID: "pb", event: "playbook_on_play_start"),
            ChildrenSummary.Event(counter: 3, uuid: "task", parentUUID: "play", event: "playbook_on_task_start"),
            ChildrenSummary.Event(counter: 4, uuid: "r1", parentUUID: "task", event: "runner_on_ok"),
            ChildrenSummary.Event(counter: 5, uuid: "v", parentUUID: nil, event: "verbose"),
            ChildrenSummary.Event(counter: 6, uuid: "stats", parentUUID: "pb", event: "playbook_on_stats"),
        ]
        let result = ChildrenSummary.compute(events)
        XCTAssertTrue(result.isTree)
        XCTAssertEqual(result.children[1]?.numChildren, 5)
        XCTAssertEqual(result.children[2]?.numChildren, 3)
        XCTAssertEqual(result.children[3]?.numChildren, 2, "the verbose line nests under the task before it")
        XCTAssertNil(result.children[4])
        XCTAssertEqual(result.metaEventNestedUUID[5], "task")
        XCTAssertEqual(result.children[1]?.rowNumber, 0)
        let broken = ChildrenSummary.compute([events[0], events[1], ChildrenSummary.Event(counter: 3, uuid: "x", parentUUID: "gone", event: "runner_on_ok")])
        XCTAssertFalse(broken.isTree)
    }
}
