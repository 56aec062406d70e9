#if canImport(Glibc)
import Glibc
#endif

/// glibc malloc settings for a process that runs loads. librdkafka allocates every fetched message and Swift every
/// decoded row; with glibc's defaults a thread's heap is trimmed back to the OS as soon as a task's batch is freed,
/// and the next batch faults the same pages in again, zeroed (perf: page faults, `clear_page_erms` and `mprotect` in
/// librdkafka's broker threads). Keeping up to 64 MB of freed memory at the top of each heap, and serving blocks up to 32 MB
/// from the heaps rather than from fresh mappings, removes that churn; the price is that a process keeps its peak
/// memory after a large load.
public enum AllocatorTuning {
    public static func applyForLoads() {
        #if canImport(Glibc)
        // mallopt is in <malloc.h>, which Swift's Glibc module does not import; the parameters are glibc's.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3
        _ = mallopt(trimThreshold, 64 << 20)
        _ = mallopt(mmapThreshold, 32 << 20)
        #endif
    }

    /// Returns free heap pages to the OS (glibc's malloc_trim), after a statement held a lot of memory.
    public static func releaseFreeMemory() {
        #if canImport(Glibc)
        typealias MallocTrim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(nil, "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        #endif
    }
}
