import Testing
import TaskContract

/// Segment names from the network or a bucket listing: only the FE's own shape, `db<d>/t<t>/txn<x>.seg`, is accepted.
@Suite struct SegmentNameTests {
    @Test func theFEsNamesAreValidAndGiveTheirTable() {
        #expect(SegmentName.isValid("db1/t2/txn3.seg"))
        #expect(SegmentName.tableID("db10/t9223372036854775807/txn0.seg") == Int64.max)
        #expect(SegmentName.tableID("db1/t42/txn7.seg") == 42)
    }

    @Test func anythingElseIsRejected() {
        let bad = ["", "db1/t2/txn3", "db1/t2/txn3.seg/", "/db1/t2/txn3.seg", "db1//t2/txn3.seg", "db1/t2/x/txn3.seg",
                   "../t2/txn3.seg", "db1/../txn3.seg", "db1/t2/../../etc.seg", "dbx/t2/txn3.seg", "db/t2/txn3.seg", "db1/t/txn3.seg",
                   "db1/t2/txn.seg", "db-1/t2/txn3.seg", "db1/t+2/txn3.seg", "db1/t2/txn 3.seg", "db1/t2/txn3.SEG", "DB1/t2/txn3.seg",
                   "db١/t2/txn3.seg",                                            // a non-ASCII digit
                   "db1/t99999999999999999999/txn3.seg",                         // more digits than an Int64 has
                   "db1/t9223372036854775808/txn3.seg"]                          // 19 digits, past Int64.max
        for name in bad { #expect(!SegmentName.isValid(name), "\(name)") }
        #expect(SegmentName.tableID("db1/t2/txn3") == nil)
    }
}
