#!/usr/bin/env python3
"""Publishes N click events to the lab's Kafka topic `test2`, as seed 001's gen.py does:
    python3 lab/gen.py 5                      # Redpanda of the compose lab, localhost:9092
    python3 lab/gen.py 5 127.0.0.1:40123      # any other bootstrap address (scripts/lab-local.sh uses kafka-mock)
Needs kafka-python (pip install kafka-python==2.0.2)."""
import json
import random
import sys
import time

from kafka import KafkaProducer

SITES = ["https://www.starrocks.io/", "https://www.starrocks.io/blog", "https://www.starrocks.io/product/community",
         "https://docs.starrocks.io/"]


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    bootstrap = sys.argv[2] if len(sys.argv) > 2 else "localhost:9092"
    producer = KafkaProducer(bootstrap_servers=bootstrap)
    for _ in range(count):
        event = {"uid": random.randint(1, 10000), "site": random.choice(SITES), "vtime": int(time.time()) - random.randint(0, 3600)}
        message = ("{ " + ", ".join(f'"{k}": {json.dumps(v)}' for k, v in event.items()) + " } ").encode()
        producer.send("test2", message)
        print(message)
    producer.flush()


if __name__ == "__main__":
    main()
