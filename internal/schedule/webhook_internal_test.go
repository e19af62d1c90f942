package schedule

import "testing"

// TestWebhookAddresses: a link-local (cloud metadata), unspecified or
// multicast address is no alert receiver, written in the URL or reached
// through a name; loopback and private receivers are allowed.
func TestWebhookAddresses(t *testing.T) {
	for raw, ok := range map[string]bool{
		"http://169.254.169.254/latest/meta-data/": false,
		"http://[fe80::1]:8080/":                   false,
		"http://0.0.0.0:9000/":                     false,
		"http://[::ffff:169.254.169.254]/":         false,
		"http://224.0.0.1/":                        false,
		"http://127.0.0.1:9000/hook":               true,
		"https://10.20.30.40/siem":                 true,
		"https://alerts.example/probity":           true,
	} {
		if err := ValidateWebhookURL(raw); (err == nil) != ok {
			t.Errorf("ValidateWebhookURL(%s) = %v, want allowed %v", raw, err, ok)
		}
	}
	if err := dialControl("tcp", "169.254.169.254:80", nil); err == nil {
		t.Error("a connection to the metadata address was allowed")
	}
	if err := dialControl("tcp", "127.0.0.1:9000", nil); err != nil {
		t.Errorf("a connection to a loopback receiver: %v", err)
	}
}
