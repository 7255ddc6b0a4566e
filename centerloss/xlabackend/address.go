package xlabackend

import (
	"unsafe"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
)

// DataAddress is where a float32 tensor's data lies on device 0, and false where the backend cannot say (only the
// CPU plugin exposes its buffers' memory): two tensors at one address share one buffer, which is how a test or a
// benchmark sees that XLA updated a donated buffer in place.
func DataAddress(backend compute.Backend, tensor *tensors.Tensor) (uintptr, bool) {
	buffer, err := tensor.Buffer(backend, 0)
	if err != nil {
		return 0, false
	}
	flat, err := buffer.Data()
	if err != nil {
		return 0, false
	}
	data, ok := flat.([]float32)
	if !ok || len(data) == 0 {
		return 0, false
	}
	return uintptr(unsafe.Pointer(unsafe.SliceData(data))), true
}
