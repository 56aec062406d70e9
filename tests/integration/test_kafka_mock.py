"""kafka-mock: librdkafka's mock cluster speaks the real Kafka protocol on loopback, so kcat and
kafka-python 2.0.2 produce to it and consume from it."""
import os
import pathlib
import subprocess
import time

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

ROOT = pathlib.Path(__file__).resolve().parents[2]
MOCK = os.environ.get("KAFKA_MOCK", str(ROOT / ".build" / "debug" / "kafka-mock"))


@pytest.fixture
def broker():
    proc = subprocess.Popen([MOCK, "--brokers", "3", "--topic", "ordertest2:5", "--topic", "site_clicks:1"],
                            stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline().strip()
    assert line.startswith("bootstrap: "), line
    yield line.split(": ", 1)[1]
    proc.kill()
    proc.wait()


def test_kcat_sees_topics_and_round_trips_messages(broker):
    meta = subprocess.run(["kcat", "-b", broker, "-L"], capture_output=True, text=True, timeout=30).stdout
    assert "3 brokers:" in meta and 'topic "ordertest2" with 5 partitions' in meta and 'topic "site_clicks" with 1 partitions' in meta
    subprocess.run(["kcat", "-b", broker, "-P", "-t", "ordertest2", "-p", "3"], input="1,2023-01-01,ann\n2,2023-01-02,bob\n",
                   text=True, check=True, timeout=30)
    out = subprocess.run(["kcat", "-b", broker, "-C", "-t", "ordertest2", "-p", "3", "-o", "beginning", "-e", "-q"],
                         capture_output=True, text=True, timeout=30).stdout
    assert out.split() == ["1,2023-01-01,ann", "2,2023-01-02,bob"]


def test_kafka_python_2_0_2_produces_and_consumes(broker):
    producer = KafkaProducer(bootstrap_servers=broker)
    for i in range(10):
        producer.send("site_clicks", key=str(i).encode(), value=(f'{{"uid": {i}, "site": "s", "vtime": {1700000000 + i}}}').encode())
    producer.flush()
    consumer = KafkaConsumer(bootstrap_servers=broker, auto_offset_reset="earliest", consumer_timeout_ms=5000)
    tp = TopicPartition("site_clicks", 0)
    consumer.assign([tp])
    consumer.seek_to_beginning(tp)
    values = [m.value for m in consumer]
    assert len(values) == 10 and values[0].startswith(b'{"uid": 0')
    assert consumer.end_offsets([tp])[tp] == 10
