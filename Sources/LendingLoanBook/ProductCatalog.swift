import Foundation
import LendingModel
import LendingServicing

/// The lender's products by name (`installment`, `revolving`): the terms every loan of a product
/// is serviced by (schedule method, day count, penalty, grace, non-accrual, allocation,
/// overpayment rule, buckets). A loan keeps its own rate from its decision.
///
/// A products file is JSON: `{"format": "lending.products", "formatVersion": 1, "products":
/// {"installment": {...}, "revolving": {...}}}`, each product as in docs/servicing.md. A product
/// the file names replaces the built-in one; the others stay as built in (``standard``, the
/// content of Models/products-default.json).
public struct ProductCatalog: Sendable, Equatable, Codable {
    public var format: String
    public var formatVersion: Int
    public var products: [String: ProductTerms]

    public static let formatName = "lending.products"

    public init(products: [String: ProductTerms]) {
        format = ProductCatalog.formatName
        formatVersion = 1
        self.products = products
    }

    /// The built-in products: equal installments, actual/365, penalty 1.5 × the product rate,
    /// 3 grace days, non-accrual after 90 days, oldest installment first, prepayment.
    public static let standard = ProductCatalog(products: [
        "installment": ProductTerms(kind: .installment, method: .equalInstallment, apr: AnnualRate(partsPerMillion: 180_000)),
        "revolving": ProductTerms(kind: .revolving, method: .equalInstallment, apr: AnnualRate(partsPerMillion: 180_000)),
    ])

    /// The terms of a product.
    /// - Throws: ``LendingError`` `products.unknown` naming the product and the known ones.
    public func terms(for product: String) throws(LendingError) -> ProductTerms {
        guard let terms = products[product] else {
            throw LendingError(code: "products.unknown",
                               message: "product \"\(product)\" is not in the products file (\(products.keys.sorted().joined(separator: ", "))); add it with --products FILE")
        }
        return terms
    }

    /// The built-in products as pretty JSON (what Models/products-default.json holds).
    public static func standardJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(standard)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Reads a products file over the built-in products.
    /// - Throws: ``LendingError`` naming the file (and the field) when it cannot be read.
    public static func load(path: String) throws(LendingError) -> ProductCatalog {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LendingError(code: "products.read", message: "cannot read the products file; check the path", file: path)
        }
        return try decode(data, file: path)
    }

    /// Decodes a products file over the built-in products.
    public static func decode(_ data: Data, file: String) throws(LendingError) -> ProductCatalog {
        struct Header: Decodable {
            var format: String?
            var formatVersion: Int?
        }
        struct Body: Decodable { var products: [String: ProductTerms]? }
        do {
            let header = try JSONDecoder().decode(Header.self, from: data)
            if let format = header.format, format != formatName {
                throw LendingError(code: "products.format", message: "\"format\" is \"\(format)\", not \"\(formatName)\"; is this a products file?", file: file)
            }
            if let version = header.formatVersion, version != 1 {
                throw LendingError(code: "products.format", message: "\"formatVersion\" \(version) is not supported; this program reads version 1", file: file)
            }
            var catalog = standard
            for (name, terms) in try JSONDecoder().decode(Body.self, from: data).products ?? [:] { catalog.products[name] = terms }
            return catalog
        } catch let error as LendingError {
            throw error
        } catch let error as ServicingError {
            throw LendingError(code: "products.value", message: error.message, file: file)
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            throw LendingError(code: "products.json", message: "the products file is not valid JSON (\(context.debugDescription)); fix the file", file: file)
        } catch let DecodingError.dataCorrupted(context) {
            throw LendingError(code: "products.value", message: "\(path(context.codingPath)): \(context.debugDescription)", file: file)
        } catch let DecodingError.typeMismatch(_, context) {
            throw LendingError(code: "products.value", message: "\(path(context.codingPath)) has the wrong type: \(context.debugDescription)", file: file)
        } catch let DecodingError.keyNotFound(key, context) {
            throw LendingError(code: "products.value", message: "\(path(context.codingPath + [key])) is required", file: file)
        } catch let DecodingError.valueNotFound(_, context) {
            throw LendingError(code: "products.value", message: "\(path(context.codingPath)) must not be null", file: file)
        } catch {
            throw LendingError(code: "products.json", message: "the products file is not valid JSON (\(error.localizedDescription)); fix the file", file: file)
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        "\"" + keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") + "\""
    }
}
