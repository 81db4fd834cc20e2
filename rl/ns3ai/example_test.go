package ns3ai_test

import (
	"fmt"
	"os"
	"time"

	"github.com/netgym/netgym/rl/ns3ai"
)

// A-Plus-B in one process: the agent creates the segment (as ns3-ai's
// Python side does) and answers a+b, the simulation opens it and runs
// three rounds, then marks the end.
func ExampleCreateStruct() {
	opts := ns3ai.DefaultOptions()
	opts.SegmentName = fmt.Sprintf("netgym-example-%d", os.Getpid())
	opts.HandleFinish = true
	agent, err := ns3ai.CreateStruct[ns3ai.APBEnv, ns3ai.APBAct](opts, ns3ai.Agent)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer agent.Close()
	done := make(chan int)
	go func() {
		n, _ := ns3ai.ServeAPBStruct(agent) // until the end mark
		done <- n
	}()

	sim, err := ns3ai.OpenStruct[ns3ai.APBEnv, ns3ai.APBAct](opts, ns3ai.Simulation)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sim.Layout())
	for i := 0; i < 3; i++ {
		_ = sim.SendBegin()
		*sim.Cpp2Py() = ns3ai.APBEnv{A: uint32(i), B: 10}
		_ = sim.SendEnd()
		_ = sim.RecvBegin()
		fmt.Printf("%d+10=%d\n", i, sim.Py2Cpp().C)
		_ = sim.RecvEnd()
	}
	_ = sim.Close() // marks the end
	fmt.Println("agent answered", <-done)
	// Output:
	// netgym v1
	// 0+10=10
	// 1+10=11
	// 2+10=12
	// agent answered 3
}

// Byte messages of up to 1024 bytes, ns3-ai's Gym message layout.
func ExampleTransport() {
	opts := ns3ai.DefaultOptions()
	opts.SegmentName = fmt.Sprintf("netgym-example-tr-%d", os.Getpid())
	agent, err := ns3ai.CreateTransport(opts, ns3ai.Agent, ns3ai.GymBufferSize)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer agent.Close()
	sim, err := ns3ai.OpenTransport(opts, ns3ai.Simulation, ns3ai.GymBufferSize)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sim.Close()
	deadline := time.Now().Add(time.Second)
	_ = sim.Send([]byte("state"), deadline)
	msg, _ := agent.Recv(nil, deadline)
	_ = agent.Send(append(msg, " -> action"...), deadline)
	reply, _ := sim.Recv(nil, deadline)
	fmt.Println(string(reply))
	fmt.Println(sim.Send(make([]byte, 2000), deadline))
	// Output:
	// state -> action
	// ns3ai: message larger than the shared buffer: 2000 bytes, the buffer holds 1024
}
