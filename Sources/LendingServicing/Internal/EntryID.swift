import LendingModel

/// Entry ids (`accrue:L1:2026-11-21`) built in one allocation: the end of day makes one for
/// nearly every loan every day.
enum EntryID {
    static func make(_ prefix: StaticString, _ loanID: String, _ day: CalendarDay) -> String {
        let (year, month, date) = day.components
        guard (0...9999).contains(year) else { return "\(prefix)\(loanID):\(day)" }
        var loanID = loanID
        let prefixCount = prefix.utf8CodeUnitCount
        return loanID.withUTF8 { id in
            String(unsafeUninitializedCapacity: prefixCount + id.count + 11) { buffer in
                var index = 0
                prefix.withUTF8Buffer { for byte in $0 { buffer[index] = byte; index += 1 } }
                for byte in id { buffer[index] = byte; index += 1 }
                buffer[index] = UInt8(ascii: ":")
                index += 1
                func digits(_ value: Int, _ width: Int) {
                    var value = value
                    for position in stride(from: width - 1, through: 0, by: -1) {
                        buffer[index + position] = UInt8(ascii: "0") + UInt8(value % 10)
                        value /= 10
                    }
                    index += width
                }
                digits(year, 4)
                buffer[index] = UInt8(ascii: "-")
                index += 1
                digits(month, 2)
                buffer[index] = UInt8(ascii: "-")
                index += 1
                digits(date, 2)
                return index
            }
        }
    }
}
