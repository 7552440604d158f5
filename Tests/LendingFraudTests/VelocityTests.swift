import LendingFraud
import LendingModel
import Testing

let start = Instant(iso: "2026-11-21T09:30:00+08:00")!

@Suite struct InstantTests {
    @Test func parsesOffsetsToTheSameInstant() {
        #expect(Instant(iso: "2026-11-21T09:30:00+08:00") == Instant(iso: "2026-11-21T01:30:00Z"))
        #expect(Instant(iso: "2026-11-21T01:30:00.987Z") == Instant(iso: "2026-11-21T01:30:00Z"))
        #expect(Instant(iso: "2026-11-20T20:30-05:00") == Instant(iso: "2026-11-21T01:30:00Z"))
        #expect(Instant(iso: "2026-11-21T01:30:00Z")?.description == "2026-11-21T01:30:00Z")
    }

    @Test func rejectsTimesWithoutAZoneAndImpossibleTimes() {
        #expect(Instant(iso: "2026-11-21T09:30:00") == nil)
        #expect(Instant(iso: "2026-11-21T24:00:00Z") == nil)
        #expect(Instant(iso: "2026-02-30T10:00:00Z") == nil)
        #expect(Instant(iso: "2026-11-21T09:30:00+0800") == nil)
    }

    @Test func givesTheLocalCalendarDay() {
        let late = Instant(iso: "2026-11-21T23:30:00+08:00")!
        #expect(late.day(atOffsetSeconds: 8 * 3600) == CalendarDay(iso: "2026-11-21"))
        #expect(late.day(atOffsetSeconds: 0) == CalendarDay(iso: "2026-11-21"))
        let early = Instant(iso: "2026-11-21T05:00:00+08:00")!
        #expect(early.day(atOffsetSeconds: 0) == CalendarDay(iso: "2026-11-20"))
    }
}

@Suite struct VelocityTests {
    @Test(arguments: VelocityWindow.allCases)
    func windowsAreHalfOpenAtTheirExactBoundary(_ window: VelocityWindow) {
        var counter = VelocityCounter<String>()
        counter.record("device-1", at: start)
        // At exactly w later the first event has left the window; one second earlier it is in.
        #expect(counter.count("device-1", in: window, at: start.adding(seconds: window.seconds - 1)) == 1)
        #expect(counter.count("device-1", in: window, at: start.adding(seconds: window.seconds)) == 0)
        #expect(counter.count("device-1", in: window, at: start) == 1)
        #expect(counter.count("device-2", in: window, at: start) == 0)
    }

    @Test func countsOnlyTheKeyAndTheWindowAsked() {
        var counter = VelocityCounter<String>()
        for minute in [0, 10, 59, 61, 120] { counter.record("phone", at: start.adding(seconds: Int64(minute) * 60)) }
        counter.record("other", at: start.adding(seconds: 3 * 3600))
        let now = start.adding(seconds: 2 * 3600)
        #expect(counter.count("phone", in: .hour, at: now) == 2)  // 61 and 120 minutes (60 min before is excluded)
        #expect(counter.count("phone", in: .day, at: now) == 5)
    }

    @Test func prunesEventsOlderThanTheLongestWindow() {
        var counter = VelocityCounter<String>(longestWindow: .day)
        counter.record("id", at: start)
        counter.record("id", at: start.adding(seconds: 86_400))
        #expect(counter.count("id", in: .day, at: start.adding(seconds: 86_400)) == 1)
        #expect(counter.count("id", in: .month, at: start.adding(seconds: 86_400)) == 1)
    }

    @Test func countsDistinctValuesWithTheSameBoundaries() {
        var distinct = DistinctCounter<String, String>()
        distinct.record("device-9", value: "id-a", at: start)
        distinct.record("device-9", value: "id-b", at: start.adding(seconds: 100))
        distinct.record("device-9", value: "id-a", at: start.adding(seconds: 200))
        #expect(distinct.distinct("device-9", in: .hour, at: start.adding(seconds: 200)) == 2)
        #expect(distinct.distinct("device-9", in: .hour, at: start.adding(seconds: 3_600)) == 2)
        #expect(distinct.distinct("device-9", in: .hour, at: start.adding(seconds: 3_700)) == 1)
    }
}
