// Package plugintest lets a plugin author test a plugin without outreach:
// a harness that serves the plugin over gRPC in the test process
// (InProcess) or launches it out of process exactly as the host does
// (Exec, Launch), and a conformance suite per plugin kind (TestPlugin,
// TestNetwork, TestAI, TestSink) that checks what the host relies on.
//
// Every first-party plugin and the example third-party plugin run the
// suites both in process and out of process. A typical test file:
//
//	func TestMain(m *testing.M) {
//		plugintest.Main(m, func() sdk.ServeConfig { s := mysink.New(); return sdk.ServeConfig{Plugin: s, Sink: s} })
//	}
//
//	func TestConformance(t *testing.T) {
//		for name, conn := range map[string]func(*testing.T) *plugintest.Conn{
//			"in-process":     func(t *testing.T) *plugintest.Conn { s := mysink.New(); return plugintest.InProcess(t, sdk.ServeConfig{Plugin: s, Sink: s}) },
//			"out-of-process": func(t *testing.T) *plugintest.Conn { return plugintest.Exec(t) },
//		} {
//			t.Run(name, func(t *testing.T) { plugintest.TestSink(t, conn(t), fixture) })
//		}
//	}
//
// It is not a mock of the host: it has no deadlines, relaunches or engine
// rules, which core/pluginhost adds on top of the same clients.
package plugintest
