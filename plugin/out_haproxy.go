// Command out_haproxy is the Fluent Bit output plugin (build with
// -buildmode=c-shared). This file only adapts Fluent Bit's Go proxy calls to
// plugin/internal/output, where all the logic lives.
//
// Fluent Bit hands every instance's Init the same plugin pointer and
// overwrites it for each instance, so all keys are read inside Init and the
// instance is found later through an integer id set as its context.
package main

import "C"

import (
	"fmt"
	"os"
	"sync"
	"unsafe"

	"github.com/fluent/fluent-bit-go/output"

	haproxy "github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/output"
	"github.com/fluent-bit-haproxy/fluent-bit-haproxy/plugin/internal/sink"
)

var (
	mu        sync.RWMutex
	instances = map[int]*haproxy.Instance{}
	nextIndex int // instance number, as Fluent Bit names them: haproxy.0, haproxy.1 ...
)

//export FLBPluginRegister
func FLBPluginRegister(def unsafe.Pointer) int {
	return output.FLBPluginRegister(def, "haproxy", "HAProxy log decoder: explains HAProxy logs as ECS JSON")
}

//export FLBPluginInit
func FLBPluginInit(plugin unsafe.Pointer) (rc int) {
	mu.Lock()
	index := nextIndex
	nextIndex++
	mu.Unlock()
	log := haproxy.NewLogger(os.Stderr, index)
	defer func() {
		if r := recover(); r != nil {
			log.Errorf("init failed: internal error: %v", r)
			rc = output.FLB_ERROR
		}
	}()
	// Every key is read now: the pointer is overwritten by the next Init.
	get := func(key string) string { return output.FLBPluginConfigKey(plugin, key) }
	cfg, err := haproxy.ParseConfig(get)
	if err != nil {
		// one log line per problem
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				log.Errorf("%v", e)
			}
		} else {
			log.Errorf("%v", err)
		}
		return output.FLB_ERROR
	}
	in, err := haproxy.New(cfg, log)
	if err != nil {
		log.Errorf("%v", err)
		return output.FLB_ERROR
	}
	mu.Lock()
	instances[index] = in
	mu.Unlock()
	// The id travels as the context value; fluent-bit-go maps it back.
	output.FLBPluginSetContext(plugin, index)
	log.Infof("%s", cfg.Summary())
	return output.FLB_OK
}

func lookup(ctx unsafe.Pointer) (*haproxy.Instance, int, bool) {
	id, ok := output.FLBPluginGetContext(ctx).(int)
	if !ok {
		return nil, -1, false
	}
	mu.RLock()
	in := instances[id]
	mu.RUnlock()
	return in, id, in != nil
}

//export FLBPluginFlushCtx
func FLBPluginFlushCtx(ctx, data unsafe.Pointer, length C.int, tag *C.char) (rc int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "[error] [output:haproxy] flush: internal error: %v\n", r)
			rc = output.FLB_ERROR
		}
	}()
	in, id, ok := lookup(ctx)
	if !ok {
		fmt.Fprintf(os.Stderr, "[error] [output:haproxy] flush for an unknown instance (context %v)\n", id)
		return output.FLB_ERROR
	}
	var chunk []byte
	if data != nil && length > 0 {
		chunk = unsafe.Slice((*byte)(data), int(length)) // no copy: valid during this call
	}
	switch in.Flush(chunk, C.GoString(tag)) {
	case sink.OK:
		return output.FLB_OK
	case sink.Retry:
		return output.FLB_RETRY
	}
	return output.FLB_ERROR
}

//export FLBPluginFlush
func FLBPluginFlush(data unsafe.Pointer, length C.int, tag *C.char) int {
	// Only used by a Fluent Bit too old to know FLBPluginFlushCtx.
	fmt.Fprintln(os.Stderr, "[error] [output:haproxy] this Fluent Bit does not call FLBPluginFlushCtx: upgrade it")
	return output.FLB_ERROR
}

//export FLBPluginExitCtx
func FLBPluginExitCtx(ctx unsafe.Pointer) int {
	in, id, ok := lookup(ctx)
	if !ok {
		return output.FLB_OK
	}
	mu.Lock()
	delete(instances, id)
	mu.Unlock()
	if err := in.Close(); err != nil {
		haproxy.NewLogger(os.Stderr, id).Errorf("exit: %v", err)
		return output.FLB_ERROR
	}
	return output.FLB_OK
}

//export FLBPluginExit
func FLBPluginExit() int {
	// Without ExitCtx support: close every instance.
	mu.Lock()
	all := instances
	instances = map[int]*haproxy.Instance{}
	mu.Unlock()
	for _, in := range all {
		_ = in.Close()
	}
	return output.FLB_OK
}

//export FLBPluginUnregister
func FLBPluginUnregister(def unsafe.Pointer) {
	output.FLBPluginUnregister(def)
}

func main() {}
