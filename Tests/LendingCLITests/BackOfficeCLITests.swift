import Crypto
import Foundation
import LendingTestSupport
import Testing

/// A small demo of its own (200 applications, 20 days, operator `ops-demo`), which the
/// back-office commands then work on, in order.
@Suite(.serialized) struct BackOfficeCLITests {
    static let days = 20
    static let scene: Result<(directory: String, demo: CommandResult), any Error> = Result {
        let directory = temporaryPath("back-office-scene")
        try? FileManager.default.removeItem(atPath: directory)
        let demo = try runLending(["demo", "--dir", directory, "--applications", "200", "--days", "\(days)", "--seed", "11"],
                                  environment: ["LENDING_OPERATOR": "ops-demo"])
        return (directory, demo)
    }

    func directory() throws -> String {
        let scene = try Self.scene.get()
        try #require(scene.demo.status == 0, "\(scene.demo.stderr)")
        return scene.directory
    }

    func lending(_ arguments: [String]) throws -> CommandResult {
        try runLending(arguments + ["--db", try directory() + "/lending.sqlite"])
    }

    func csv(_ text: String) -> [[String: String]] {
        let lines = text.split(separator: "\n")
        guard let header = lines.first.map({ csvLine($0) }) else { return [] }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, csvLine($0))) }
    }

    /// One CSV line's fields (quoted fields with doubled quotes; no line breaks inside).
    func csvLine(_ line: Substring) -> [String] {
        var fields: [String] = [], field = "", quoted = false
        for character in line {
            if quoted {
                if character == "\"" { quoted = false } else { field.append(character) }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                fields.append(field)
                field = ""
            } else {
                field.append(character)
            }
        }
        return fields + [field]
    }

    @Test func theAuditLogHoldsEveryWriteOfTheDemoWithItsOperatorAndTheChainsStillHold() throws {
        let exported = try lending(["audit", "export"])
        #expect(exported.status == 0, "\(exported.stderr)")
        let all = csv(exported.stdout)
        #expect(all.map { $0["sequence"] } == (1...all.count).map { String($0) })
        let records = all.filter { $0["channel"] == "demo" }
        #expect(records.count == 4 + 3 * Self.days)
        #expect(records.allSatisfy { $0["actor"] == "ops-demo" && $0["channel"] == "demo" && $0["outcome"] == "ok" })
        #expect(records.prefix(4).map { $0["action"] } == ["whitelist.import", "blacklist.import", "apply", "sign"])
        for action in ["disburse", "posting", "eod"] {
            #expect(records.filter { $0["action"] == action }.count == Self.days, "\(action)")
        }
        let decisions = try lending(["decisions", "verify"])
        #expect(decisions.status == 0 && decisions.stdout.hasSuffix("ok\n"), "\(decisions.stdout)\(decisions.stderr)")
        let ledger = try lending(["ledger", "verify"])
        #expect(ledger.status == 0 && ledger.stdout.hasSuffix("ok\n"), "\(ledger.stdout)\(ledger.stderr)")
    }

    @Test func aReviewAboveTheLimitTakesTwoPeopleThenTheApplicantSignsWithEvidence() throws {
        let directory = try directory()
        let policy = directory + "/four-eyes.json"
        try #"{"review": {"secondApprovalAbove": "0.01"}}"#.write(toFile: policy, atomically: true, encoding: .utf8)
        let queue = csv(try lending(["review", "list"]).stdout)
        let item = try #require(queue.first, "the demo left no application in review")
        let id = try #require(item["application_id"])
        let opened = try #require(item["opened_at"].flatMap { ISO8601DateFormatter().date(from: $0) })
        let at = ISO8601DateFormatter().string(from: opened.addingTimeInterval(3_600))
        let first = try lending(["review", "decide", id, "approve", "--by", "Li Wei", "--at", at, "--policy", policy])
        #expect(first.status == 0 && first.stdout.contains("awaiting_second_approval"), "\(first.stdout)\(first.stderr)")
        let same = try lending(["review", "decide", id, "approve", "--by", " li wei", "--at", at, "--policy", policy])
        #expect(same.status == 1 && same.stderr.contains("a second reviewer must approve"), "\(same.stderr)")
        let second = try lending(["review", "decide", id, "approve", "--by", "Wang Fang", "--at", at, "--policy", policy])
        #expect(second.status == 0 && second.stdout.hasPrefix("\(id),approve,"), "\(second.stdout)\(second.stderr)")
        let approvals = csv(try lending(["approvals", "list", "--status", "approved"]).stdout)
        #expect(approvals.contains { $0["request_id"] == "review:\(id)" && $0["requested_by"] == "Li Wei" && $0["decided_by"] == "Wang Fang" })

        let shown = try lending(["agreement", "show", id])
        #expect(shown.status == 0, "\(shown.stderr)")
        let hash = SHA256.hash(data: Array(shown.stdout.utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(shown.stderr.contains("sha256 \(hash)"))
        let wrong = try lending(["sign", id, "--accepted-at", at, "--channel", "app", "--text-sha256", String(repeating: "a", count: 64),
                                 "--operator", "channel-app"])
        #expect(wrong.status == 1 && wrong.stderr.contains("text_sha256"), "\(wrong.stderr)")
        let signed = try lending(["sign", id, "--accepted-at", at, "--channel", "app", "--ip", "203.0.113.7", "--device", "D-1",
                                  "--text-sha256", hash, "--operator", "channel-app"])
        #expect(signed.status == 0 && signed.stdout.hasPrefix("\(id),"), "\(signed.stdout)\(signed.stderr)")
        let again = try lending(["sign", id, "--accepted-at", at, "--channel", "app", "--text-sha256", hash, "--operator", "channel-web"])
        #expect(again.status == 1 && again.stderr.contains("signed already"))
        let audit = csv(try lending(["audit", "export"]).stdout).filter { $0["channel"] == "cli" && ["review.decide", "sign"].contains($0["action"]) }
        #expect(audit.map { "\($0["actor"] ?? "") \($0["action"] ?? "") \($0["outcome"] ?? "")" } == [
            "Li Wei review.decide ok", "li wei review.decide failed review.same_reviewer", "Wang Fang review.decide ok",
            "channel-app sign failed sign.text_mismatch", "channel-app sign ok", "channel-web sign failed sign.signed",
        ])
        #expect(try lending(["decisions", "verify"]).status == 0)
    }

    @Test func aWriteOffTakesTwoPeopleAndGoesThroughTheLedger() throws {
        let loans = csv(try lending(["export", "loans"]).stdout)
        let loan = try #require(loans.first { $0["status"] == "active" }?["loan_id"])
        let asked = try lending(["loans", "write-off", loan, "--reason", "fraud confirmed", "--by", "Li Wei"])
        #expect(asked.status == 0 && asked.stdout == "write_off:\(loan),pending\n", "\(asked.stdout)\(asked.stderr)")
        let own = try lending(["approvals", "decide", "write_off:\(loan)", "approve", "--by", "Li Wei"])
        #expect(own.status == 1 && own.stderr.contains("a second person must approve"), "\(own.stderr)")
        #expect(csv(try lending(["export", "loans"]).stdout).first { $0["loan_id"] == loan }?["status"] == "active")
        let approved = try lending(["approvals", "decide", "write_off:\(loan)", "approve", "--by", "Wang Fang"])
        #expect(approved.status == 0 && approved.stdout == "write_off:\(loan),approved\n", "\(approved.stdout)\(approved.stderr)")
        #expect(csv(try lending(["export", "loans"]).stdout).first { $0["loan_id"] == loan }?["status"] == "written_off")
        #expect(csv(try lending(["export", "journal"]).stdout).contains { $0["entry_id"] == "writeoff:\(loan)" })
        let ledger = try lending(["ledger", "verify"])
        #expect(ledger.status == 0 && ledger.stdout.hasSuffix("ok\n"), "\(ledger.stdout)\(ledger.stderr)")
    }

    @Test func aRepaymentOfTheDemoIsReversedAndALoanRestructuredByTwoPeople() throws {
        let loans = csv(try lending(["export", "loans"]).stdout)
        let active = loans.filter { $0["status"] == "active" }.compactMap { $0["loan_id"] }
        // The write-off test takes the first active loan; these take others.
        let candidates = Set(active.dropFirst())
        let loanID = try #require(candidates.sorted().first)
        let processed = try #require(loans.first { $0["loan_id"] == loanID }?["processed_through"])
        // Two payments of the loan, and the earlier one is the wrong one.
        let file = try directory() + "/reversal-payments.csv"
        try "payment_id,loan_id,paid_at,amount\nP-WRONG,\(loanID),\(processed),150.00\nP-RIGHT,\(loanID),\(processed),20.00\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let repaid = try lending(["repay", file])
        #expect(repaid.status == 0, "\(repaid.stdout)\(repaid.stderr)")
        let paymentID = "P-WRONG"
        let asked = try lending(["repayments", "reverse", paymentID, "--reason", "paid to the wrong loan", "--by", "Li Wei"])
        #expect(asked.status == 0 && asked.stdout == "reversal:\(paymentID),pending\n", "\(asked.stdout)\(asked.stderr)")
        let own = try lending(["approvals", "decide", "reversal:\(paymentID)", "approve", "--by", "li wei"])
        #expect(own.status == 1 && own.stderr.contains("a second person must approve"), "\(own.stderr)")
        let approved = try lending(["approvals", "decide", "reversal:\(paymentID)", "approve", "--by", "Wang Fang"])
        #expect(approved.status == 0 && approved.stdout == "reversal:\(paymentID),approved\n", "\(approved.stdout)\(approved.stderr)")
        let listed = csv(try lending(["repayments", "list", loanID]).stdout)
        #expect(listed.map { $0["payment_id"] ?? "" } == ["P-WRONG", "P-RIGHT"] && listed.map { $0["reversed"] ?? "" } == ["yes", "no"], "\(listed)")
        // What the loan holds is what 20.00 alone would have left.
        let after = try #require(csv(try lending(["export", "loans"]).stdout).first { $0["loan_id"] == loanID })
        let before = try #require(loans.first { $0["loan_id"] == loanID })
        let owedBefore = (Double(before["interest_receivable"] ?? "") ?? 0) + (Double(before["outstanding_principal"] ?? "") ?? 0)
        let owedAfter = (Double(after["interest_receivable"] ?? "") ?? 0) + (Double(after["outstanding_principal"] ?? "") ?? 0)
        #expect(abs(owedBefore - owedAfter - 20.00) < 0.005, "owed \(owedBefore) before, \(owedAfter) after")
        #expect(csv(try lending(["export", "journal"]).stdout).contains { $0["entry_id"] == "reverse:\(paymentID)" })

        let other = try #require(candidates.subtracting([loanID]).sorted().first)
        let restructure = try lending(["restructure", other, "--holiday", "1", "--reason", "hospital stay", "--by", "Li Wei"])
        #expect(restructure.status == 0 && restructure.stdout == "restructure:\(other):1,pending\n", "\(restructure.stdout)\(restructure.stderr)")
        let decided = try lending(["approvals", "decide", "restructure:\(other):1", "approve", "--by", "Wang Fang"])
        #expect(decided.status == 0 && decided.stdout == "restructure:\(other):1,approved\n", "\(decided.stdout)\(decided.stderr)")
        let shown = try lending(["loans", "show", other]).stdout
        #expect(shown.contains("\"request_id\" : \"restructure:\(other):1\"") && shown.contains("hospital stay"), "\(shown)")
        #expect(try lending(["loans", "show", loanID]).stdout.contains("\"request_id\" : \"reversal:P-WRONG\""))
        let audit = try lending(["audit", "export"]).stdout
        #expect(audit.contains("repayments.reverse") && audit.contains("restructure") && audit.contains("Wang Fang"))
        let ledger = try lending(["ledger", "verify"])
        #expect(ledger.status == 0 && ledger.stdout.hasSuffix("ok\n"), "\(ledger.stdout)\(ledger.stderr)")

        // The portfolio report's corrections: the one reversal (its 150.00) and the holiday.
        let report = try directory() + "/corrections.html"
        let written = try lending(["report", "portfolio", "--as-of", "2027-06-30", "-o", report])
        #expect(written.status == 0, "\(written.stderr)")
        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.contains("<tr><td>Reversals of payments</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">150.00</td></tr>"),
                "\(html.components(separatedBy: "Corrections").last ?? "")")
        #expect(html.contains("<tr><td>Payment holidays</td><td class=\"num\">1</td><td class=\"num\">1</td>"))
    }

    @Test func cashForNoKnownLoanIsHeldInSuspenseAndMovedToALoanByTwoPeople() throws {
        let loans = csv(try lending(["export", "loans"]).stdout)
        // The other tests take the first active loans; this one takes the last.
        let loanID = try #require(loans.filter { $0["status"] == "active" }.compactMap { $0["loan_id"] }.sorted().last)
        let processed = try #require(loans.first { $0["loan_id"] == loanID }?["processed_through"])
        let directory = try directory()
        let bad = directory + "/bad-receipts.csv"
        try "receipt_id,received_at,amount\nBANK-1,\(processed),50.00\nBANK-2,2026-13-01,10.00\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try lending(["suspense", "receive", bad])
        #expect(refused.status == 1 && refused.stderr.contains("bad-receipts.csv:3:") && refused.stderr.contains("received_at"), "\(refused.stderr)")
        #expect(try lending(["suspense", "list"]).stdout == "receipt_id,received_on,amount,status,loan_id,applied_on\n", "nothing half-written")
        let good = directory + "/receipts.csv"
        try "receipt_id,received_at,amount\nBANK-1,\(processed),50.00\n".write(toFile: good, atomically: true, encoding: .utf8)
        let received = try lending(["suspense", "receive", good])
        #expect(received.status == 0 && received.stderr.contains("received 1 receipts (50.00 yuan)"), "\(received.stderr)")
        #expect(try lending(["suspense", "receive", good]).stderr.contains("1 already received"))
        let asked = try lending(["suspense", "move", "BANK-1", loanID, "--reason", "reference matched the contract", "--by", "Li Wei"])
        #expect(asked.status == 0 && asked.stdout == "suspense:BANK-1:1,pending\n", "\(asked.stdout)\(asked.stderr)")
        let own = try lending(["approvals", "decide", "suspense:BANK-1:1", "approve", "--by", "LI WEI", "--as-of", processed])
        #expect(own.status == 1 && own.stderr.contains("a second person must approve"), "\(own.stderr)")
        let approved = try lending(["approvals", "decide", "suspense:BANK-1:1", "approve", "--by", "Wang Fang", "--as-of", processed])
        #expect(approved.status == 0 && approved.stdout == "suspense:BANK-1:1,approved\n", "\(approved.stdout)\(approved.stderr)")
        #expect(csv(try lending(["suspense", "list"]).stdout).map { [$0["status"] ?? "", $0["loan_id"] ?? ""] } == [["moved", loanID]])
        #expect(csv(try lending(["repayments", "list", loanID]).stdout).contains { $0["payment_id"] == "suspense:BANK-1" && $0["amount"] == "50.00" })
        let ledger = try lending(["ledger", "verify"])
        #expect(ledger.status == 0 && ledger.stdout.contains(" suspense 1 ") && ledger.stdout.hasSuffix("ok\n"), "\(ledger.stdout)\(ledger.stderr)")
        // With --rejects a bad row is set aside, the good one received, and the exit status says so (3), as repay and draw do.
        let mixed = directory + "/mixed-receipts.csv"
        try "receipt_id,received_at,amount\nBANK-9,\(processed),5.00\nBANK-10,2026-13-01,10.00\n".write(toFile: mixed, atomically: true, encoding: .utf8)
        let setAside = directory + "/set-aside.csv"
        let partly = try lending(["suspense", "receive", mixed, "--rejects", setAside])
        #expect(partly.status == 3 && partly.stderr.contains("received 1 receipts") && partly.stderr.contains("1 rejected"), "\(partly.stderr)")
        #expect(try String(contentsOfFile: setAside, encoding: .utf8).contains("2026-13-01"))
    }

    @Test func personalDataIsExportedOnlyToAnAdminOfTheOperatorsFile() throws {
        let directory = try directory()
        let plain = try lending(["export", "decisions"])
        #expect(plain.status == 0 && !plain.stdout.contains("id_number"))
        let refused = try lending(["export", "decisions", "--personal-data"])
        #expect(refused.status == 1 && refused.stderr.contains("operators file"))
        let operators = directory + "/operators.txt"
        try "Li Wei review\nWang Fang admin,review\n".write(toFile: operators, atomically: true, encoding: .utf8)
        let notAdmin = try lending(["export", "decisions", "--personal-data", "--operators", operators, "--operator", "Li Wei"])
        #expect(notAdmin.status == 1 && notAdmin.stderr.contains("lacks the admin role"))
        let path = directory + "/decisions-personal.csv"
        let admin = try lending(["export", "decisions", "--personal-data", "--operators", operators, "--operator", "Wang Fang", "-o", path])
        #expect(admin.status == 0, "\(admin.stderr)")
        let header = try String(contentsOfFile: path, encoding: .utf8).prefix { $0 != "\n" }
        #expect(header.hasSuffix(",name,id_number,phone"))
        let audit = csv(try lending(["audit", "export"]).stdout)
        #expect(audit.last?["action"] == "export.personal_data" && audit.last?["actor"] == "Wang Fang" && audit.last?["outcome"] == "ok")
    }
}
