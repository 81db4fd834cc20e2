package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/cli"
)

// The binary's life under NRP-core: it registers at --regservurl, serves
// the engine protocol and exits after /shutdown.
func TestRegisterServeShutdown(t *testing.T) {
	registered := make(chan map[string]string, 1)
	reg := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]string
		_ = json.NewDecoder(r.Body).Decode(&m)
		registered <- m
	}))
	defer reg.Close()
	var diag bytes.Buffer
	code := make(chan int, 1)
	go func() {
		code <- run(context.Background(), []string{"--engine=net", "--serverurl=127.0.0.1:0",
			"--regservurl=" + strings.TrimPrefix(reg.URL, "http://"), "--options={}",
			"--protobuf_plugins_path=/opt/nrp/lib", `--protobuf_plugins=["NrpGenericProto"]`}, io.Discard, &diag)
	}()
	m := <-registered
	require.Equal(t, "net", m["engine_name"])
	post := func(route, body string) string {
		resp, err := http.Post("http://"+m["address"]+"/"+route, "application/json", strings.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		require.Equal(t, 200, resp.StatusCode, string(b))
		return string(b)
	}
	post("initialize", `{"EngineName": "net", "EngineExtraConfigs": {"Distance": 5}}`)
	require.JSONEq(t, `{"time": 1000000}`, post("run_loop", `{"time_step": 1000000}`))
	require.JSONEq(t, `{"downlink/sent": {"engine_name": "net", "type": "json", "data": [0]}}`,
		post("get_datapacks", `{"downlink/sent": {"engine_name": "net", "type": "json"}}`))
	post("shutdown", `null`)
	require.Equal(t, cli.ExitOK, <-code, diag.String())
	require.Contains(t, diag.String(), `nrp-engine: engine "net" serving on 127.0.0.1:`)
}

func TestBadFlags(t *testing.T) {
	var diag bytes.Buffer
	require.Equal(t, cli.ExitFailure, run(context.Background(), []string{"--serverurl=nowhere"}, io.Discard, &diag))
	require.Equal(t, "nrp-engine: engineserver: server address \"nowhere\": address nowhere: missing port in address\n", diag.String())
}
