-- Seed 004's CSV, JSON and Avro examples in the compose lab: its broker placeholders are redpanda:29092 and its
-- schema registry is Redpanda's own (http://redpanda:8081); the statements are otherwise the guide's.
-- Topics first (from the host): docker compose exec redpanda rpk topic create ordertest1 ordertest2 -p 5
--                                docker compose exec redpanda rpk topic create topic_0 -p 6
CREATE DATABASE IF NOT EXISTS example_db;

CREATE TABLE example_db.example_tbl1 ( 
    `order_id` bigint NOT NULL COMMENT "注文番号",
    `pay_dt` date NOT NULL COMMENT "支払い日", 
    `customer_name` varchar(26) NULL COMMENT "顧客名", 
    `nationality` varchar(26) NULL COMMENT "国籍", 
    `price`double NULL COMMENT "支払い金額"
) 
ENGINE=OLAP 
DUPLICATE KEY (order_id,pay_dt) 
DISTRIBUTED BY HASH(`order_id`); 

CREATE ROUTINE LOAD example_db.example_tbl1_ordertest1 ON example_tbl1
COLUMNS TERMINATED BY ",",
COLUMNS (order_id, pay_dt, customer_name, nationality, temp_gender, price)
PROPERTIES
(
    "desired_concurrent_number" = "5"
)
FROM KAFKA
(
    "kafka_broker_list" = "redpanda:29092",
    "kafka_topic" = "ordertest1",
    "kafka_partitions" = "0,1,2,3,4",
    "property.kafka_default_offsets" = "OFFSET_BEGINNING"
);

USE example_db;

CREATE TABLE `example_tbl2` ( 
    `commodity_id` varchar(26) NULL COMMENT "商品ID", 
    `customer_name` varchar(26) NULL COMMENT "顧客名", 
    `country` varchar(26) NULL COMMENT "顧客国籍", 
    `pay_time` bigint(20) NULL COMMENT "支払時間", 
    `pay_dt` date NULL COMMENT "支払日", 
    `price` double SUM NULL COMMENT "支払金額"
)
ENGINE=OLAP
AGGREGATE KEY(`commodity_id`,`customer_name`,`country`,`pay_time`,`pay_dt`) 
DISTRIBUTED BY HASH(`commodity_id`); 

CREATE ROUTINE LOAD example_db.example_tbl2_ordertest2 ON example_tbl2
COLUMNS(commodity_id, customer_name, country, pay_time, price, pay_dt=from_unixtime(pay_time, '%Y%m%d'))
PROPERTIES
(
    "desired_concurrent_number" = "5",
    "format" = "json",
    "jsonpaths" = "[\"$.commodity_id\",\"$.customer_name\",\"$.country\",\"$.pay_time\",\"$.price\"]"
 )
FROM KAFKA
(
    "kafka_broker_list" = "redpanda:29092",
    "kafka_topic" = "ordertest2",
    "kafka_partitions" = "0,1,2,3,4",
    "property.kafka_default_offsets" = "OFFSET_BEGINNING"
);

CREATE TABLE example_db.sensor_log ( 
    `id` bigint NOT NULL COMMENT "センサーID",
    `name` varchar(26) NOT NULL COMMENT "センサー名", 
    `checked` boolean NOT NULL COMMENT "チェック済み", 
    `data` double NULL COMMENT "センサーデータ", 
    `sensor_type` varchar(26) NOT NULL COMMENT "センサータイプ"
) 
ENGINE=OLAP 
DUPLICATE KEY (id) 
DISTRIBUTED BY HASH(`id`); 

CREATE ROUTINE LOAD example_db.sensor_log_load_job ON sensor_log 
PROPERTIES  
(  
    "format" = "avro"  
)  
FROM KAFKA  
(  
    "kafka_broker_list" = "redpanda:29092",
    "confluent.schema.registry.url" = "http://redpanda:8081",  
    "kafka_topic" = "topic_0",  
    "kafka_partitions" = "0,1,2,3,4,5",  
    "property.kafka_default_offsets" = "OFFSET_BEGINNING"  
);
