package main

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPerfectChannelSession(t *testing.T) {
	var out, diag bytes.Buffer
	in := "TRANSMIT 0\nTRANSMIT 1 10\nFLUSH 1\nSTEP 2\nSTEP 3 0\nFLUSH 4\nBAD\nQUIT\n"
	require.NoError(t, run([]string{"--channel=perfect"}, strings.NewReader(in), &out, &diag))
	assert.Equal(t, "READY\nOK\nOK\nRECV 0 1\nRECV 2\nRECV\nRECV\nERROR unknown command: BAD\n", out.String())
}

func TestGEChannelIsSeeded(t *testing.T) {
	var b strings.Builder
	for step := range 400 {
		b.WriteString("STEP " + strconv.Itoa(step) + "\n")
	}
	session := func(seed string) string {
		var out, diag bytes.Buffer
		require.NoError(t, run([]string{"--channel=ge", "--loss-bad=0.9", "--seed=" + seed}, strings.NewReader(b.String()), &out, &diag))
		return out.String()
	}
	a := session("7")
	assert.Equal(t, a, session("7"))
	assert.NotEqual(t, a, session("8"))
	lost := strings.Count(a, "RECV\n")
	assert.Greater(t, lost, 10, "GE loses packets")
	assert.Less(t, lost, 200)
}

func TestBadFlags(t *testing.T) {
	var out, diag bytes.Buffer
	assert.Error(t, run([]string{"--channel=nope"}, strings.NewReader(""), &out, &diag))
	assert.Error(t, run([]string{"--channel=ge", "--p-gb=2"}, strings.NewReader(""), &out, &diag))
	assert.Empty(t, out.String())
}
