package hubspot

import (
	"slices"
	"testing"
)

func TestRoleLossPrediction(t *testing.T) {
	multi := User{ID: "1", RoleID: "10", RoleIDs: []RoleID{"10", "20", "30"}}
	tests := []struct {
		name        string
		user        User
		upd         UserUpdate
		wantDropped []RoleID
		wantAfter   []RoleID
	}{
		{"team change keeping the primary role drops the others", multi,
			UserUpdate{RoleID: "10", PrimaryTeamID: "5"}, []RoleID{"20", "30"}, []RoleID{"10"}},
		{"no role in the update still collapses to roleId", multi,
			UserUpdate{PrimaryTeamID: "5"}, []RoleID{"20", "30"}, []RoleID{"10"}},
		{"choosing an extra role keeps only that one", multi,
			UserUpdate{RoleID: "20"}, []RoleID{"10", "30"}, []RoleID{"20"}},
		{"a new role drops every old one", multi,
			UserUpdate{RoleID: "99"}, []RoleID{"10", "20", "30"}, []RoleID{"99"}},
		{"single-role user loses nothing", User{RoleID: "10", RoleIDs: []RoleID{"10"}},
			UserUpdate{RoleID: "10", PrimaryTeamID: "5"}, nil, []RoleID{"10"}},
		{"role only in roleId counts", User{RoleID: "10"},
			UserUpdate{RoleID: "11"}, []RoleID{"10"}, []RoleID{"11"}},
		{"roles only in roleIds, no roleId, no role sent: all dropped", User{RoleIDs: []RoleID{"10", "20"}},
			UserUpdate{PrimaryTeamID: "5"}, []RoleID{"10", "20"}, []RoleID{}},
		{"user without roles", User{},
			UserUpdate{PrimaryTeamID: "5"}, nil, []RoleID{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RolesDroppedBy(tt.user, tt.upd); !slices.Equal(got, tt.wantDropped) {
				t.Errorf("RolesDroppedBy = %v, want %v", got, tt.wantDropped)
			}
			got := RolesAfterUpdate(tt.user, tt.upd)
			if got == nil || !slices.Equal(got, tt.wantAfter) {
				t.Errorf("RolesAfterUpdate = %#v, want %#v", got, tt.wantAfter)
			}
		})
	}
}
