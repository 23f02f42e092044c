package hubspot

import (
	"encoding/json"
	"testing"
)

func TestIDsAcceptStringNumberAndNull(t *testing.T) {
	tests := []struct {
		name string
		json string
		want UserID
	}{
		{"string", `"9586504"`, "9586504"},
		{"number", `9586504`, "9586504"},
		{"null", `null`, ""},
		{"big number beyond int53", `207838823235123456`, "207838823235123456"},
		{"beyond int64", `18446744073709551615`, "18446744073709551615"},
		{"padded", ` 12 `, "12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var o struct {
				ID UserID `json:"userId"`
			}
			if err := json.Unmarshal([]byte(`{"userId":`+tt.json+`}`), &o); err != nil {
				t.Fatal(err)
			}
			if o.ID != tt.want {
				t.Fatalf("got %q, want %q", o.ID, tt.want)
			}
		})
	}
}

func TestIDsRejectNonIntegers(t *testing.T) {
	for _, in := range []string{`1.5`, `1e3`, `true`, `{}`, `[1]`, `-`} {
		var id OwnerID
		if err := json.Unmarshal([]byte(in), &id); err == nil {
			t.Errorf("%s: decoded as %q, want an error", in, id)
		}
	}
}

func TestOwnerNormalisesNumericUserIDs(t *testing.T) {
	active := `{"id":"41629779","type":"PERSON","userId":9586504,"userIdIncludingInactive":9586504,
		"createdAt":"2019-12-25T13:01:35.228Z","updatedAt":"2023-08-22T13:40:26.790Z","archived":false,
		"teams":[{"id":"368389","name":"Sales","primary":true}]}`
	archived := `{"id":"42103462","type":"PERSON","userId":null,"userIdIncludingInactive":9685555,
		"createdAt":"2020-01-09T20:28:50.080Z","updatedAt":"2020-01-09T20:28:50.080Z","archived":true}`
	var a, b Owner
	if err := json.Unmarshal([]byte(active), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(archived), &b); err != nil {
		t.Fatal(err)
	}
	if a.ID != "41629779" || a.UserID != "9586504" || a.AnyUserID() != "9586504" || a.Teams[0].ID != "368389" {
		t.Errorf("active owner decoded as %+v", a)
	}
	if b.UserID != "" || b.UserIDIncludingInactive != "9685555" || b.AnyUserID() != "9685555" || !b.Archived {
		t.Errorf("archived owner decoded as %+v", b)
	}
	// The same user ID from Settings (a string) compares equal.
	var u User
	if err := json.Unmarshal([]byte(`{"id":"9586504","email":"x@y.z","roleIds":["1"],"superAdmin":false}`), &u); err != nil {
		t.Fatal(err)
	}
	if u.ID != a.UserID {
		t.Errorf("settings user ID %q != owner userId %q", u.ID, a.UserID)
	}
}

func TestPropertiesTolerateNull(t *testing.T) {
	var c Contact
	in := `{"id":"512","properties":{"email":"bh@hubspot.com","phone":null,"hubspot_owner_id":"41629779"},"archived":false}`
	if err := json.Unmarshal([]byte(in), &c); err != nil {
		t.Fatal(err)
	}
	if c.Email() != "bh@hubspot.com" || c.OwnerID() != "41629779" {
		t.Errorf("got %+v", c)
	}
	if _, ok := c.Properties["phone"]; ok {
		t.Error("a null property should be absent")
	}
}

func TestIsNumeric(t *testing.T) {
	for s, want := range map[string]bool{
		"1": true, "0042": true, "12345678901234567890": true,
		"": false, "1;2": false, "1,2": false, " 1": false, //nolint:gocritic // a leading space is the case under test
		"-1": false, "1.0": false, "abc": false,
		"123456789012345678901": false,
	} {
		if got := IsNumeric(s); got != want {
			t.Errorf("IsNumeric(%q) = %v, want %v", s, got, want)
		}
	}
}
