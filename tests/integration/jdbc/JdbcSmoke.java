import java.math.BigDecimal;
import java.sql.*;

/**
 * Drives tributary-fe with MariaDB Connector/J (Debian's libmariadb-java): connect, DatabaseMetaData
 * (catalogs, tables, columns), prepared INSERT and SELECT. Prints one "ok ..." line per check and exits
 * non-zero on the first failure. Usage: java -cp mariadb-java-client.jar:. JdbcSmoke PORT SERVER_PREPARE
 */
public class JdbcSmoke {
    static void check(boolean cond, String what) {
        if (!cond) { System.out.println("FAILED " + what); System.exit(1); }
        System.out.println("ok " + what);
    }

    public static void main(String[] args) throws Exception {
        String url = "jdbc:mariadb://127.0.0.1:" + args[0] + "/?user=root&password=&useServerPrepStmts=" + args[1];
        try (Connection c = DriverManager.getConnection(url)) {
            check(c.isValid(5), "isValid");
            DatabaseMetaData md = c.getMetaData();
            check(md.getDatabaseProductVersion().startsWith("8.0.33"), "product version " + md.getDatabaseProductVersion());
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE IF NOT EXISTS jdbc_db");
                s.execute("CREATE TABLE IF NOT EXISTS jdbc_db.orders (id BIGINT NOT NULL, customer VARCHAR(26), pay_dt DATE, price DECIMAL(10,2)) "
                        + "PRIMARY KEY(id) DISTRIBUTED BY HASH(id)");
            }
            boolean found = false;
            try (ResultSet rs = md.getCatalogs()) { while (rs.next()) found |= rs.getString(1).equals("jdbc_db"); }
            check(found, "getCatalogs lists jdbc_db");
            try (ResultSet rs = md.getTables("jdbc_db", null, "%", null)) {
                check(rs.next() && rs.getString("TABLE_NAME").equals("orders"), "getTables finds orders");
            }
            int columns = 0;
            try (ResultSet rs = md.getColumns("jdbc_db", null, "orders", "%")) {
                while (rs.next()) {
                    columns++;
                    if (rs.getString("COLUMN_NAME").equals("price")) check(rs.getInt("DATA_TYPE") == Types.DECIMAL, "price is DECIMAL");
                }
            }
            check(columns == 4, "getColumns returns 4 columns");
            c.setCatalog("jdbc_db");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders VALUES (?, ?, ?, ?)")) {
                for (int i = 1; i <= 3; i++) {
                    ps.setLong(1, i);
                    ps.setString(2, i == 2 ? null : "customer-" + i);
                    ps.setDate(3, Date.valueOf("2024-01-0" + i));
                    ps.setBigDecimal(4, new BigDecimal(i + ".50"));
                    check(ps.executeUpdate() == 1, "prepared insert " + i);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id, customer, pay_dt, price FROM orders WHERE id >= ? ORDER BY id")) {
                ps.setLong(1, 2);
                try (ResultSet rs = ps.executeQuery()) {
                    check(rs.next() && rs.getLong(1) == 2 && rs.getString(2) == null, "row 2 with NULL customer");
                    check(rs.getDate(3).toString().equals("2024-01-02"), "date column");
                    check(rs.getBigDecimal(4).compareTo(new BigDecimal("2.50")) == 0, "decimal column");
                    check(rs.next() && rs.getString(2).equals("customer-3"), "row 3");
                    check(!rs.next(), "two rows");
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(price) FROM orders")) {
                check(rs.next() && rs.getLong(1) == 3, "count is 3");
            }
            try (Statement s = c.createStatement()) { s.execute("DROP DATABASE jdbc_db"); }
        }
        System.out.println("JDBC OK");
    }
}
