module github.com/netgym/netgym

go 1.26

require (
	github.com/go-zeromq/zmq4 v0.17.0
	github.com/google/btree v1.1.3
	github.com/pkg/profile v1.7.0
	github.com/stretchr/testify v1.12.1
	gonum.org/v1/gonum v0.17.0
	google.golang.org/protobuf v1.36.12
)

require (
	github.com/felixge/fgprof v0.9.3 // indirect
	github.com/go-zeromq/goczmq/v4 v4.2.2 // indirect
	github.com/google/pprof v0.0.0-20211214055906-6f57359322fd // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/sync v0.12.0 // indirect
	golang.org/x/text v0.23.0 // indirect
)
