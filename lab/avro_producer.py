#!/usr/bin/env python3
"""Registers seed 004's sensor_log schema with a Confluent-compatible schema registry (Redpanda's, in the compose lab)
and publishes N sensor readings to topic_0 in the Confluent wire format (magic byte 0, 4-byte schema id, Avro body).
The enum symbol AIR-PRESSURE of the guide is not a valid Avro name, which encoders refuse: it is AIR_PRESSURE here.
    python3 lab/avro_producer.py 10                                   # localhost:9092, registry localhost:8081
    python3 lab/avro_producer.py 10 127.0.0.1:9092 http://127.0.0.1:8081
Needs fastavro and kafka-python==2.0.2."""
import io
import json
import random
import struct
import sys
import urllib.request

import fastavro
from kafka import KafkaProducer

SCHEMA = {"type": "record", "name": "sensor_log", "fields": [
    {"name": "id", "type": "long"}, {"name": "name", "type": "string"}, {"name": "checked", "type": "boolean"},
    {"name": "data", "type": "double"},
    {"name": "sensor_type", "type": {"type": "enum", "name": "sensor_type_enum", "symbols": ["TEMPERATURE", "HUMIDITY", "AIR_PRESSURE"]}}]}


def register(registry, subject):
    body = json.dumps({"schema": json.dumps(SCHEMA)}).encode()
    request = urllib.request.Request(f"{registry}/subjects/{subject}/versions", data=body, method="POST",
                                     headers={"Content-Type": "application/vnd.schemaregistry.v1+json"})
    return json.load(urllib.request.urlopen(request, timeout=10))["id"]


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    bootstrap = sys.argv[2] if len(sys.argv) > 2 else "localhost:9092"
    registry = sys.argv[3] if len(sys.argv) > 3 else "http://localhost:8081"
    schema_id = register(registry, "topic_0-value")
    parsed = fastavro.parse_schema(SCHEMA)
    producer = KafkaProducer(bootstrap_servers=bootstrap)
    for i in range(count):
        row = {"id": i, "name": f"sensor-{i}", "checked": i % 2 == 0, "data": round(random.uniform(-10, 40), 2),
               "sensor_type": random.choice(["TEMPERATURE", "HUMIDITY", "AIR_PRESSURE"])}
        body = io.BytesIO()
        fastavro.schemaless_writer(body, parsed, row)
        producer.send("topic_0", b"\x00" + struct.pack(">I", schema_id) + body.getvalue())
        print(row)
    producer.flush()


if __name__ == "__main__":
    main()
