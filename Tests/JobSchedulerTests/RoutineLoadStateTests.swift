import Testing
@testable import JobScheduler

@Suite struct RoutineLoadStateTests {
    @Test(arguments: [
        (RoutineLoadState.needSchedule, RoutineLoadState.running, true), (.running, .paused, true), (.paused, .needSchedule, true),
        (.running, .stopped, true), (.paused, .cancelled, true), (.stopped, .running, false), (.cancelled, .needSchedule, false),
        (.paused, .paused, false), (.running, .needSchedule, true), (.stopped, .cancelled, false), (.running, .running, true),
    ])
    func transitionsFollowStarRocks(from: RoutineLoadState, to: RoutineLoadState, allowed: Bool) {
        #expect(from.canTransition(to: to) == allowed)
    }

    @Test func onlyStoppedAndCancelledAreFinal() {
        #expect(RoutineLoadState.allCases.filter(\.isFinal) == [.stopped, .cancelled])
    }
}
