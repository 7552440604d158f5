import LendingHTTP
import Testing

/// Holds the OpenAPI document (`Resources/openapi.yaml`, ``OpenAPIDocument/yaml``) to the route
/// table ``LendingService/routes``: the same operations, 401 and 403 where the service can answer
/// them, and an `Idempotency-Key` on every POST that runs under one.
@Suite struct OpenAPIContractTests {
    @Test func theDocumentHasExactlyTheOperationsOfTheRouteTable() {
        let document = OpenAPIOutline(OpenAPIDocument.yaml)
        let differences = document.differences(from: LendingService.routes)
        #expect(differences.missing.isEmpty,
                "routes of LendingService.routes that openapi.yaml lacks: \(differences.missing.joined(separator: ", "))")
        #expect(differences.extra.isEmpty,
                "operations of openapi.yaml that LendingService.routes lacks: \(differences.extra.joined(separator: ", "))")
        #expect(differences.repeated.isEmpty, "operations listed more than once in openapi.yaml: \(differences.repeated.joined(separator: ", "))")
    }

    /// The comparison above can fail: a document without a route's path, or with an operation the
    /// service does not have, is reported with the operations named.
    @Test func aMissingOrAnExtraOperationIsReported() {
        let withoutAudit = OpenAPIOutline(OpenAPIOutline.removingPath("/v1/audit", from: OpenAPIDocument.yaml))
        let missing = withoutAudit.differences(from: LendingService.routes)
        #expect(missing.missing == ["GET /v1/audit"])
        #expect(missing.extra.isEmpty)

        let withExtra = OpenAPIOutline(OpenAPIOutline.addingOperation("delete", "/v1/loans/{id}", to: OpenAPIDocument.yaml))
        let extra = withExtra.differences(from: LendingService.routes)
        #expect(extra.missing.isEmpty)
        #expect(extra.extra == ["DELETE /v1/loans/{id}"])
    }

    @Test func everyOperationButHealthListsA401AndEveryOperationWithARoleA403() {
        let document = OpenAPIOutline(OpenAPIDocument.yaml)
        #expect(!document.operations.isEmpty, "no operation found under paths: in openapi.yaml")
        for route in LendingService.routes {
            // A route missing from the document is reported by theDocumentHasExactlyTheOperationsOfTheRouteTable.
            guard let operation = document.operation(route.method, route.path) else { continue }
            let statuses = operation.statuses
            if route.method == "GET" && route.path == "/health" {
                #expect(operation.value(of: "security") == "[]", "GET /health needs no key: it must say security: []")
                #expect(!statuses.contains("401"), "GET /health needs no key, so it never answers 401")
                continue
            }
            #expect(operation.value(of: "security") == nil, "\(operation.name) needs a key: it must not override the document's security")
            #expect(statuses.contains("401"), "\(operation.name) lists no \"401\" response (it lists \(statuses.sorted().joined(separator: ", ")))")
            if let role = route.role {
                #expect(statuses.contains("403"),
                        "\(operation.name) needs the role \(role.rawValue) but lists no \"403\" response (it lists \(statuses.sorted().joined(separator: ", ")))")
            }
        }
    }

    @Test func everyOperationNamesTheRoleOfTheRouteTable() {
        let document = OpenAPIOutline(OpenAPIDocument.yaml)
        for route in LendingService.routes {
            guard let operation = document.operation(route.method, route.path) else { continue }
            let named = operation.value(of: "x-required-role")
            #expect(named == route.role?.rawValue,
                    "\(operation.name): x-required-role is \(named ?? "absent"), the route table says \(route.role?.rawValue ?? "no role")")
        }
    }

    @Test func everyPostButScoreRequiresAnIdempotencyKey() {
        let document = OpenAPIOutline(OpenAPIDocument.yaml)
        for route in LendingService.routes where route.method == "POST" {
            guard let operation = document.operation(route.method, route.path) else { continue }
            if route.path == "/v1/score" {
                #expect(!document.requiresIdempotencyKey(operation), "POST /v1/score runs under no Idempotency-Key: it must not require one")
            } else {
                #expect(document.requiresIdempotencyKey(operation),
                        "\(operation.name) runs under an Idempotency-Key: it must declare the header Idempotency-Key with required: true")
            }
            #expect(operation.statuses.contains("413"), "\(operation.name) reads a body: it must list a \"413\" response")
        }
        let key = document.componentParameters["IdempotencyKey"].map { OpenAPIOutline.trimmed($0) } ?? []
        for field in ["name: Idempotency-Key", "in: header", "required: true"] {
            #expect(key.contains(field), "components/parameters/IdempotencyKey lacks \(field)")
        }
        let schema = key.first { $0.hasPrefix("schema:") } ?? ""
        for constraint in ["type: string", "minLength: 1", "maxLength: 255", #"pattern: "^[\\x21-\\x7E]+$""#] {
            #expect(schema.contains(constraint), "components/parameters/IdempotencyKey's schema lacks \(constraint): \(schema)")
        }
    }
}

/// The outline of an OpenAPI document in YAML, read without a YAML library from the layout
/// openapi.yaml keeps: under `paths:`, path keys indented 2 spaces and ending in `:`, their
/// operations 4 (`get:`, `post:`, ...), an operation's keys 6 (`responses:`, `parameters:`,
/// `x-required-role: ...`), its response statuses 8 (`"401": ...`); under `components:`,
/// `parameters:` indented 2 and each parameter 4.
struct OpenAPIOutline {
    struct Operation {
        /// `GET`, `POST`, ...
        var method: String
        /// `/v1/loans/{id}`.
        var path: String
        /// The lines below the operation's key (indented more than 4 spaces).
        var lines: [Substring] = []

        /// `GET /v1/loans/{id}`.
        var name: String { "\(method) \(path)" }

        /// The response statuses listed under `responses:` (`"200"`, `"401"`, ...), unquoted.
        var statuses: Set<String> {
            Set(block("responses").filter { OpenAPIOutline.indent(of: $0) == 8 }.compactMap { OpenAPIOutline.key(of: $0.dropFirst(8)) })
        }

        /// The lines of the block under the operation's key `name` (indented 6), without that key's line.
        func block(_ name: String) -> [Substring] {
            var found: [Substring] = []
            var inside = false
            for line in lines {
                if OpenAPIOutline.indent(of: line) <= 6 {
                    if inside { break }
                    inside = OpenAPIOutline.indent(of: line) == 6 && OpenAPIOutline.key(of: line.dropFirst(6)) == name
                } else if inside {
                    found.append(line)
                }
            }
            return found
        }

        /// The value written after the operation's key `name` on its line (`[]` for `security: []`), if the key is there.
        func value(of name: String) -> String? {
            for line in lines where OpenAPIOutline.indent(of: line) == 6 {
                let content = line.dropFirst(6)
                guard OpenAPIOutline.key(of: content) == name, let colon = content.firstIndex(of: ":") else { continue }
                return OpenAPIOutline.trimmed([content[content.index(after: colon)...]])[0]
            }
            return nil
        }
    }

    /// How a document's operations differ from a route table, each list sorted.
    struct Differences {
        /// Routes the document lacks (`GET /v1/audit`).
        var missing: [String]
        /// Operations the route table lacks.
        var extra: [String]
        /// Operations the document lists more than once.
        var repeated: [String]
    }

    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// The operations under `paths:`, in document order.
    private(set) var operations: [Operation] = []
    /// The lines of each parameter under `components:` / `parameters:`, by name.
    private(set) var componentParameters: [String: [Substring]] = [:]

    init(_ text: String) {
        var operations: [Operation] = []
        var parameters: [String: [Substring]] = [:]
        var current: Operation?
        var path: String?
        var section = ""
        var componentGroup = ""
        var parameter: String?
        for line in Self.lines(of: text) {
            let indent = Self.indent(of: line)
            let content = line.dropFirst(indent)
            if content.isEmpty || content.hasPrefix("#") { continue }
            if indent == 0 {
                if let done = current { operations.append(done) }
                current = nil
                path = nil
                section = Self.key(of: content) ?? ""
                continue
            }
            switch section {
            case "paths":
                if indent == 2 {
                    if let done = current { operations.append(done) }
                    current = nil
                    path = content.hasSuffix(":") ? Self.key(of: content) : nil
                } else if indent == 4 {
                    if let done = current { operations.append(done) }
                    current = nil
                    if let path, content.hasSuffix(":"), let key = Self.key(of: content), Self.methods.contains(key) {
                        current = Operation(method: key.uppercased(), path: path)
                    }
                } else if current != nil {
                    current?.lines.append(line)
                }
            case "components":
                if indent == 2 {
                    componentGroup = Self.key(of: content) ?? ""
                    parameter = nil
                } else if componentGroup == "parameters" {
                    if indent == 4 {
                        parameter = Self.key(of: content)
                        if let parameter { parameters[parameter] = [] }
                    } else if let parameter {
                        parameters[parameter, default: []].append(line)
                    }
                }
            default:
                break
            }
        }
        if let done = current { operations.append(done) }
        self.operations = operations
        componentParameters = parameters
    }

    /// The operation `METHOD path`, if the document has it.
    func operation(_ method: String, _ path: String) -> Operation? {
        operations.first { $0.method == method.uppercased() && $0.path == path }
    }

    /// How the document's operations differ from `routes`.
    func differences(from routes: [RouteSpec]) -> Differences {
        let documented = operations.map(\.name)
        let routed = Set(routes.map { "\($0.method.uppercased()) \($0.path)" })
        var seen = Set<String>()
        var repeated = Set<String>()
        for name in documented where !seen.insert(name).inserted { repeated.insert(name) }
        return Differences(missing: routed.subtracting(seen).sorted(), extra: seen.subtracting(routed).sorted(), repeated: repeated.sorted())
    }

    /// Whether `operation` declares the header `Idempotency-Key` as required, inline or through a
    /// `$ref` to `components/parameters`.
    func requiresIdempotencyKey(_ operation: Operation) -> Bool {
        var items: [[Substring]] = []
        for line in operation.block("parameters") {
            let content = line.drop { $0 == " " }
            if Self.indent(of: line) == 8 && content.hasPrefix("- ") {
                items.append([content.dropFirst(2)])
            } else if !items.isEmpty {
                items[items.count - 1].append(content)
            }
        }
        let reference = ##"$ref: "#/components/parameters/"##
        return items.contains { item in
            var fields = item
            if item.count == 1, item[0].hasPrefix(reference) {
                let name = item[0].dropFirst(reference.count).prefix { $0 != "\"" }
                fields = componentParameters[String(name)] ?? []
            }
            let text = Self.trimmed(fields)
            return text.contains("name: Idempotency-Key") && text.contains("in: header") && text.contains("required: true")
        }
    }

    // MARK: Lines

    static func lines(of text: String) -> [Substring] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.last == "\r" ? $0.dropLast() : $0 }
    }

    /// The spaces a line starts with.
    static func indent(of line: Substring) -> Int { line.prefix { $0 == " " }.count }

    /// The key of `key: value` or `key:` (quotes removed), or `nil` for a line without `:`.
    static func key(of content: Substring) -> String? {
        guard let colon = content.firstIndex(of: ":") else { return nil }
        var key = content[..<colon]
        if key.count >= 2, let quote = key.first, quote == "\"" || quote == "'", key.last == quote { key = key.dropFirst().dropLast() }
        return String(key)
    }

    /// Lines without their leading and trailing spaces.
    static func trimmed(_ lines: [Substring]) -> [String] {
        lines.map { line in
            var text = line.drop { $0 == " " }
            while text.last == " " { text = text.dropLast() }
            return String(text)
        }
    }

    /// `text` without the path `path` (its key line and everything under it).
    static func removingPath(_ path: String, from text: String) -> String {
        var kept: [Substring] = []
        var skipping = false
        for line in Self.lines(of: text) {
            let depth = Self.indent(of: line)
            if line.count > depth && depth <= 2 { skipping = depth == 2 && line.dropFirst(depth) == "\(path):" }
            if !skipping { kept.append(line) }
        }
        return kept.joined(separator: "\n")
    }

    /// `text` with an operation `method` on `path` added first under `paths:`.
    static func addingOperation(_ method: String, _ path: String, to text: String) -> String {
        var result: [Substring] = []
        for line in Self.lines(of: text) {
            result.append(line)
            if line == "paths:" {
                result += ["  \(path):", "    \(method):", "      responses:", #"        "200": { description: OK }"#].map { Substring($0) }
            }
        }
        return result.joined(separator: "\n")
    }
}
