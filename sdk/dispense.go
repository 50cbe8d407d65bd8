package sdk

import (
	"fmt"

	"github.com/hashicorp/go-plugin"
)

// The Dispense functions return the clients of a launched plugin. They are
// for hosts and harnesses; plugin authors never call them.

// Dispense returns the base client of a launched plugin.
func Dispense(c plugin.ClientProtocol) (Plugin, error) { return dispense[Plugin](c, baseKey) }

// DispenseNetwork returns the Network client of a launched plugin. It also
// implements Engagement and RateBudgeter.
func DispenseNetwork(c plugin.ClientProtocol) (Network, error) {
	return dispense[Network](c, networkKey)
}

// DispenseAI returns the AI client of a launched plugin.
func DispenseAI(c plugin.ClientProtocol) (AI, error) { return dispense[AI](c, aiKey) }

// DispenseSink returns the Sink client of a launched plugin.
func DispenseSink(c plugin.ClientProtocol) (Sink, error) { return dispense[Sink](c, sinkKey) }

func dispense[T any](c plugin.ClientProtocol, key string) (T, error) {
	var zero T
	raw, err := c.Dispense(key)
	if err != nil {
		return zero, err
	}
	v, ok := raw.(T)
	if !ok {
		return zero, fmt.Errorf("%s service has unexpected type %T", key, raw)
	}
	return v, nil
}
