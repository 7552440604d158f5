import LendingModel
import Testing

@Suite struct HexTests {
    @Test func bytesRoundTripThroughHexInEitherCase() {
        var random = SplitMix64(seed: 5)
        for length in [0, 1, 2, 31, 32, 33] {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let text = hexString(bytes)
            #expect(text.count == 2 * length)
            #expect(hexBytes(text) == bytes)
            #expect(hexBytes(text.uppercased()) == bytes)
        }
    }

    @Test func digitsAndTheirValues() {
        #expect(hexValue(UInt8(ascii: "0")) == 0)
        #expect(hexValue(UInt8(ascii: "9")) == 9)
        #expect(hexValue(UInt8(ascii: "a")) == 10)
        #expect(hexValue(UInt8(ascii: "F")) == 15)
        #expect(hexValue(UInt8(ascii: "g")) == nil)
        #expect(hexValue(UInt8(ascii: "/")) == nil)
        #expect(hexValue(UInt8(ascii: ":")) == nil)
    }

    @Test func oddLengthsAndStrangersAreRefused() {
        #expect(hexBytes("abc") == nil)
        #expect(hexBytes("zz") == nil)
        #expect(hexBytes("0x12") == nil)
        #expect(hexBytes("") == [])
    }
}
