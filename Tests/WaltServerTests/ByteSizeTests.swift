import Testing

@testable import WaltServer

/// Sizes on the busy line of long image work.
@Suite struct ByteSizeTests {
    @Test func testDecimalUnits() {
        #expect(ByteSize.text(999) == "999 B")
        #expect(ByteSize.text(2_100_000) == "2.1 MB")
        #expect(ByteSize.text(340_000) == "340 kB")
        #expect(ByteSize.text(1_000) == "1.0 kB")
        #expect(ByteSize.text(5_500_000_000) == "5.5 GB")
    }
}
