/// Pure task-planning rules (reference routine_load.md §3.2–§3.4).
public enum RoutineLoadPlanner {
    /// min(alive nodes, partitions, desired_concurrent_number, max_routine_load_task_concurrent_num); 0 without nodes.
    public static func concurrency(aliveNodes: Int, partitions: Int, desired: Int, maxConcurrent: Int) -> Int {
        max(0, min(aliveNodes, partitions, desired > 0 ? desired : maxConcurrent, maxConcurrent))
    }

    /// Task i gets every partition at index j with j mod n == i.
    public static func split(_ partitions: [Int32], into n: Int) -> [[Int32]] {
        guard n > 0 else { return [] }
        var tasks = [[Int32]](repeating: [], count: n)
        for (j, p) in partitions.enumerated() { tasks[j % n].append(p) }
        return tasks.filter { !$0.isEmpty }
    }

    /// The node for a task: its previous node if that still has a free slot, else the alive node with the
    /// fewest running tasks below `slots` (ties by id); nil when every node is full.
    public static func chooseNode(previous: Int64?, running: [Int64: Int], slots: Int) -> Int64? {
        if let previous, let n = running[previous], n < slots { return previous }
        return running.filter { $0.value < slots }.min { ($0.value, $0.key) < ($1.value, $1.key) }?.key
    }
}
