package sdk

import (
	"fmt"

	"github.com/hashicorp/go-plugin"
)

// Dispense returns the base client of a launched plugin. It is for the
// host; plugin authors never call it.
func Dispense(c plugin.ClientProtocol) (Plugin, error) {
	raw, err := c.Dispense(baseKey)
	if err != nil {
		return nil, err
	}
	p, ok := raw.(Plugin)
	if !ok {
		return nil, fmt.Errorf("plugin service has unexpected type %T", raw)
	}
	return p, nil
}

// DispenseNetwork returns the Network client of a launched plugin.
func DispenseNetwork(c plugin.ClientProtocol) (Network, error) {
	raw, err := c.Dispense(networkKey)
	if err != nil {
		return nil, err
	}
	n, ok := raw.(Network)
	if !ok {
		return nil, fmt.Errorf("network service has unexpected type %T", raw)
	}
	return n, nil
}
