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
        var log = KeyedEventLog<String>()
        log.record("device-1", person: 1, at: start)
        // At exactly w later the first event has left the window; one second earlier it is in.
        #expect(log.count("device-1", in: window, at: start.adding(seconds: window.seconds - 1)) == 1)
        #expect(log.count("device-1", in: window, at: start.adding(seconds: window.seconds)) == 0)
        #expect(log.count("device-1", in: window, at: start) == 1)
        #expect(log.count("device-2", in: window, at: start) == 0)
        #expect(log.people("device-1", in: window, at: start.adding(seconds: window.seconds - 1)) == 1)
        #expect(log.people("device-1", in: window, at: start.adding(seconds: window.seconds)) == 0)
    }

    @Test func countsOnlyTheKeyAndTheWindowAsked() {
        var log = KeyedEventLog<String>()
        for minute in [0, 10, 59, 61, 120] { log.record("phone", person: 7, at: start.adding(seconds: Int64(minute) * 60)) }
        log.record("other", person: 7, at: start.adding(seconds: 3 * 3600))
        let now = start.adding(seconds: 2 * 3600)
        #expect(log.count("phone", in: .hour, at: now) == 2)  // 61 and 120 minutes (60 min before is excluded)
        #expect(log.count("phone", in: .day, at: now) == 5)
        #expect(log.people("phone", in: .day, at: now) == 1)
    }

    @Test func recordingReturnsTheCountsIncludingTheNewEvent() {
        var log = KeyedEventLog<String>()
        log.record("card", person: 1, at: start)
        log.record("card", person: 2, at: start.adding(seconds: 7_200))
        let counts = log.record("card", person: 1, at: start.adding(seconds: 7_300))
        #expect(counts.events(in: .hour) == 2 && counts.people(in: .hour) == 2)
        #expect(counts.events(in: .day) == 3 && counts.people(in: .day) == 2)
        #expect(counts == log.counts("card", at: start.adding(seconds: 7_300)))
    }

    @Test func keepsOrderWhenEventsArriveLate() {
        var log = KeyedEventLog<String>()
        log.record("ip", person: 1, at: start.adding(seconds: 1_000))
        log.record("ip", person: 2, at: start)  // earlier than the one before
        #expect(log.count("ip", in: .hour, at: start.adding(seconds: 3_599)) == 2)
        #expect(log.count("ip", in: .hour, at: start.adding(seconds: 3_600)) == 1)
    }

    @Test func dropsEventsOlderThanTheLongestWindow() {
        var log = KeyedEventLog<String>()
        log.record("id", person: 1, at: start)
        log.record("id", person: 1, at: start.adding(seconds: VelocityWindow.month.seconds))
        #expect(log.count("id", in: .month, at: start.adding(seconds: VelocityWindow.month.seconds)) == 1)
    }

    @Test func countsDistinctPeopleWithTheSameBoundaries() {
        var log = KeyedEventLog<String>()
        log.record("device-9", person: 10, at: start)
        log.record("device-9", person: 11, at: start.adding(seconds: 100))
        log.record("device-9", person: 10, at: start.adding(seconds: 200))
        #expect(log.people("device-9", in: .hour, at: start.adding(seconds: 200)) == 2)
        #expect(log.people("device-9", in: .hour, at: start.adding(seconds: 3_600)) == 2)
        #expect(log.people("device-9", in: .hour, at: start.adding(seconds: 3_700)) == 1)
    }

    @Test func countsManyDistinctPeopleBeyondTheInlineBuffer() {
        var log = KeyedEventLog<String>()
        for person in 0..<100 { log.record("hub", person: UInt64(person % 70), at: start.adding(seconds: Int64(person))) }
        #expect(log.people("hub", in: .hour, at: start.adding(seconds: 100)) == 70)
        #expect(log.count("hub", in: .hour, at: start.adding(seconds: 100)) == 100)
    }
}
