/// The fields of an application's sealed personal data, once opened: the order in which
/// ``PreparedApplication`` joins them with U+001F (name, ID number, phone, card, address,
/// employer, contact phone). Held in memory only while needed; never logged.
package struct PersonalFields {
    package var name: String
    package var idNumber: String
    package var phone: String
    package var bankCard: String

    package init(opened bytes: [UInt8]) {
        let parts = String(decoding: bytes, as: UTF8.self).split(separator: "\u{1F}", omittingEmptySubsequences: false)
        func part(_ index: Int) -> String { index < parts.count ? String(parts[index]) : "" }
        name = part(0)
        idNumber = part(1)
        phone = part(2)
        bankCard = part(3)
    }
}
