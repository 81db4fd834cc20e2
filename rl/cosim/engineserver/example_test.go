package engineserver_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/netgym/netgym/rl/cosim"
	"github.com/netgym/netgym/rl/cosim/engineserver"
	"github.com/netgym/netgym/rl/cosim/netgymengine"
)

// Serve a netgym engine and drive it as NRP-core's REST client does.
func ExampleServer() {
	srv := engineserver.New("net", func(cfg cosim.EngineConfig) (cosim.Engine, error) { return netgymengine.New(cfg) })
	ln, err := engineserver.Listen("127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(context.Background(), ln) }()
	post := func(route, body string) {
		resp, err := http.Post("http://"+ln.Addr().String()+"/"+route, "application/json", strings.NewReader(body))
		if err != nil {
			panic(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(route, resp.StatusCode, string(b))
	}
	post("initialize", `{"EngineName": "net", "EngineExtraConfigs": {"Scenario": "wifi-relay", "DownlinkSize": 2}}`)
	post("set_datapacks", `{"downlink/in": {"engine_name": "net", "type": "json", "data": [1, 0]}}`)
	post("run_loop", `{"time_step": 2000000}`)
	post("get_datapacks", `{"downlink/out": {"engine_name": "net", "type": "json"}}`)
	post("shutdown", `null`)
	fmt.Println(<-done)
	// Output:
	// initialize 200 {}
	// set_datapacks 200 {}
	// run_loop 200 {"time":2000000}
	// get_datapacks 200 {"downlink/out":{"data":[1,0],"engine_name":"net","type":"json"}}
	// shutdown 200 {}
	// <nil>
}
