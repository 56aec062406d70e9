// Drives tributary-fe with go-sql-driver/mysql (Debian's golang-github-go-sql-driver-mysql-dev): queries
// with arguments use server-side prepared statements (COM_STMT_PREPARE / EXECUTE / CLOSE). Prints one
// "ok ..." line per check and exits non-zero on the first failure. Usage: go run gosmoke.go PORT
package main

import (
	"database/sql"
	"fmt"
	"os"
	"time"

	_ "github.com/go-sql-driver/mysql"
)

func check(cond bool, what string) {
	if !cond {
		fmt.Println("FAILED", what)
		os.Exit(1)
	}
	fmt.Println("ok", what)
}

func must(err error, what string) {
	if err != nil {
		fmt.Println("FAILED", what, err)
		os.Exit(1)
	}
}

func main() {
	db, err := sql.Open("mysql", "root@tcp(127.0.0.1:"+os.Args[1]+")/?parseTime=true")
	must(err, "open")
	defer db.Close()
	must(db.Ping(), "ping")
	_, err = db.Exec("CREATE DATABASE IF NOT EXISTS go_db")
	must(err, "create database")
	_, err = db.Exec("CREATE TABLE IF NOT EXISTS go_db.events (id BIGINT NOT NULL, name VARCHAR(20), at DATETIME, score DOUBLE) PRIMARY KEY(id) DISTRIBUTED BY HASH(id)")
	must(err, "create table")
	when := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	for i := 1; i <= 3; i++ {
		var name interface{} = fmt.Sprintf("event-%d", i)
		if i == 2 {
			name = nil
		}
		res, err := db.Exec("INSERT INTO go_db.events VALUES (?, ?, ?, ?)", i, name, when, float64(i)*1.5)
		must(err, "prepared insert")
		n, _ := res.RowsAffected()
		check(n == 1, fmt.Sprintf("insert %d affected one row", i))
	}
	rows, err := db.Query("SELECT id, name, at, score FROM go_db.events WHERE id >= ? ORDER BY id", 2)
	must(err, "prepared select")
	var got []int64
	for rows.Next() {
		var id int64
		var name sql.NullString
		var at time.Time
		var score float64
		must(rows.Scan(&id, &name, &at, &score), "scan")
		got = append(got, id)
		if id == 2 {
			check(!name.Valid, "NULL name")
			check(at.Equal(when), "datetime round trip")
			check(score == 3.0, "double")
		}
	}
	must(rows.Err(), "rows")
	check(len(got) == 2 && got[0] == 2 && got[1] == 3, "two rows in order")
	var count int
	must(db.QueryRow("SELECT COUNT(*) FROM go_db.events WHERE name LIKE ?", "event-%").Scan(&count), "count")
	check(count == 2, "count with a string argument")
	_, err = db.Exec("DROP DATABASE go_db")
	must(err, "drop database")
	fmt.Println("GO OK")
}
