# SPDX-License-Identifier: GPL-2.0-only
"""netgym's nrp-engine binary driven by NRP-core's own gRPC messages and
stub (the nrp-protobuf package from PyPI, with grpcio) acting as NRP-core's
engine client, plus NRP-core's JSON/REST requests from Python.

Run: NETGYM_NRP_ENGINE_BIN=/path/to/nrp-engine python3 -m unittest discover -s python/tests
(.ci/run builds the binary; the gRPC test needs `pip install --no-deps
nrp-protobuf==1.4.0` and grpcio, and is skipped without them).
"""

import json
import os
import re
import subprocess
import unittest
import urllib.error
import urllib.request

BIN = os.environ.get("NETGYM_NRP_ENGINE_BIN")

try:
    import grpc
    from google.protobuf import any_pb2
    from nrp_protobuf import engine_grpc_pb2 as pb
    from nrp_protobuf import engine_grpc_pb2_grpc as pb_grpc
    from nrp_protobuf import nrpgenericproto_pb2 as generic
    from nrp_protobuf import wrappers_pb2 as wrappers
    HAVE_GRPC = True
except ImportError:  # grpcio or nrp-protobuf missing
    HAVE_GRPC = False

CONFIG = {"EngineName": "net", "EngineType": "python_grpc", "PythonFileName": "unused.py",
          "EngineExtraConfigs": {"Scenario": "wifi-relay", "Distance": 10}}


def start_engine(test):
    p = subprocess.Popen([BIN, "--engine=net", "--serverurl=127.0.0.1:0"], stderr=subprocess.PIPE, text=True)
    line = p.stderr.readline()
    m = re.search(r"serving on (\S+)", line)
    if not m:
        p.kill()
        p.wait()
        test.fail(f"nrp-engine did not start: {line!r}")

    def stop():
        if p.poll() is None:
            p.kill()
        p.wait()
        p.stderr.close()
    test.addCleanup(stop)
    return p, m.group(1)


@unittest.skipIf(not BIN, "NETGYM_NRP_ENGINE_BIN is not set")
@unittest.skipIf(not HAVE_GRPC, "grpcio and nrp-protobuf are not installed")
class GrpcEngine(unittest.TestCase):
    def test_protocol(self):
        p, addr = start_engine(self)
        with grpc.insecure_channel(addr) as channel:
            stub = pb_grpc.EngineGrpcServiceStub(channel)
            stub.initialize(pb.InitializeRequest(json=json.dumps(CONFIG)), timeout=10)

            ident = pb.DataPackIdentifier(dataPackName="uplink/out", engineName="net")
            reply = stub.getDataPacks(pb.GetDataPacksRequest(datapackIds=[ident]), timeout=10)
            self.assertEqual(len(reply.dataPacks), 1)
            self.assertFalse(reply.dataPacks[0].HasField("data"), "empty at t = 0")

            state = generic.ArrayDouble(array=[0.1, -0.2, 0.3, 0.04], shape=[4])
            data = any_pb2.Any()
            data.Pack(state)
            msg = pb.DataPackMessage(dataPackId=pb.DataPackIdentifier(dataPackName="uplink/in", engineName="net",
                                                                      dataPackType="NrpGenericProto.ArrayDouble"),
                                     data=data)
            stub.setDataPacks(pb.SetDataPacksRequest(dataPacks=[msg]), timeout=10)
            step = stub.runLoopStep(pb.RunLoopStepRequest(timeStep=10_000_000), timeout=10)
            self.assertEqual(step.engineTime, 10_000_000)

            counter = pb.DataPackIdentifier(dataPackName="uplink/received", engineName="net")
            reply = stub.getDataPacks(pb.GetDataPacksRequest(datapackIds=[ident, counter]), timeout=10)
            out = generic.ArrayDouble()
            self.assertTrue(reply.dataPacks[0].data.Unpack(out))
            self.assertEqual(list(out.array), [0.1, -0.2, 0.3, 0.04])
            self.assertEqual(list(out.shape), [4])
            self.assertEqual(reply.dataPacks[0].dataPackId.dataPackType, "NrpGenericProto.ArrayDouble")
            received = generic.ArrayUInt32()
            self.assertTrue(reply.dataPacks[1].data.Unpack(received))
            self.assertEqual(list(received.array), [1])

            # Errors come back as gRPC status codes; the server keeps serving.
            bad = any_pb2.Any()
            bad.Pack(wrappers.StringValue(value="[1, 2]"))
            msg.data.CopyFrom(bad)
            with self.assertRaises(grpc.RpcError) as err:
                stub.setDataPacks(pb.SetDataPacksRequest(dataPacks=[msg]), timeout=10)
            self.assertEqual(err.exception.code(), grpc.StatusCode.INTERNAL)
            self.assertIn("2 elements for Box", err.exception.details())
            with self.assertRaises(grpc.RpcError) as err:
                stub.getDataPacks(pb.GetDataPacksRequest(datapackIds=[pb.DataPackIdentifier(dataPackName="nope")]),
                                  timeout=10)
            self.assertIn('no datum "nope"', err.exception.details())
            with self.assertRaises(grpc.RpcError) as err:
                stub.initialize(pb.InitializeRequest(json="{not json"), timeout=10)
            self.assertEqual(err.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)

            stub.initialize(pb.InitializeRequest(json=json.dumps(CONFIG)), timeout=10)
            stub.reset(pb.ResetRequest(), timeout=10)
            self.assertEqual(stub.runLoopStep(pb.RunLoopStepRequest(timeStep=1_000), timeout=10).engineTime, 1_000)
            stub.shutdown(pb.ShutdownRequest(), timeout=10)
        self.assertEqual(p.wait(timeout=10), 0)


@unittest.skipIf(not BIN, "NETGYM_NRP_ENGINE_BIN is not set")
class JsonEngine(unittest.TestCase):
    def post(self, addr, route, body):
        req = urllib.request.Request(f"http://{addr}//{route}", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def test_protocol(self):
        p, addr = start_engine(self)
        cfg = dict(CONFIG, EngineType="python_json", TimeRatio=[1, 1_000_000_000])
        self.assertEqual(self.post(addr, "initialize", cfg), (200, {}))
        self.assertEqual(self.post(addr, "set_datapacks", {"downlink/in": {"engine_name": "net", "type": "json",
                                                                           "data": [1.0]}}), (200, {}))
        self.assertEqual(self.post(addr, "run_loop", {"time_step": 5_000_000}), (200, {"time": 5_000_000}))
        self.assertEqual(self.post(addr, "get_datapacks", {"downlink/out": {"engine_name": "net", "type": "json"}}),
                         (200, {"downlink/out": {"engine_name": "net", "type": "json", "data": [1.0]}}))
        code, msg = self.post(addr, "run_loop", {"time_step": "later"})
        self.assertEqual(code, 400)
        self.assertIn("time_step", msg)
        self.assertEqual(self.post(addr, "shutdown", None), (200, {}))
        self.assertEqual(p.wait(timeout=10), 0)


if __name__ == "__main__":
    unittest.main()
