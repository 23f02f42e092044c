package portal

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// The columns of a user CSV, named as the flags of `hsadmin user create`.
// role, secondary-team and seat may list several values separated by ";".
var onboardColumns = []string{"email", "first", "last", "role", "team", "secondary-team", "seat", "send-welcome-email"}

// maxCSVRows bounds one file; HubSpot's own user import takes 100 a file.
const maxCSVRows = 1000

// ReadNewUsersCSV reads a user CSV: a header row naming columns (email is
// required; any order; case and spaces ignored), then one person a row.
// Lines are counted as in the file, the header being line 1. A cell that
// cannot be read becomes a problem of its row, so that the plan lists it
// with the others; an unreadable file is an error.
func ReadNewUsersCSV(r io.Reader) ([]NewUser, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the CSV file is empty: it needs a header row (" + strings.Join(onboardColumns, ",") + ")")
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the CSV header: %w", err)
	}
	cols, err := csvColumns(header)
	if err != nil {
		return nil, err
	}
	var out []NewUser
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("cannot read the CSV file: %w", err)
		}
		if blankRecord(rec) {
			continue
		}
		if len(out) == maxCSVRows {
			return nil, fmt.Errorf("the CSV file has more than %d people: split it", maxCSVRows)
		}
		out = append(out, newUserOfRecord(line, cols, rec))
	}
	if len(out) == 0 {
		return nil, errors.New("the CSV file has a header but nobody in it")
	}
	return out, nil
}

// csvColumns maps each column of header to its name in onboardColumns.
func csvColumns(header []string) ([]string, error) {
	cols := make([]string, len(header))
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		name = strings.NewReplacer("_", "-", " ", "-").Replace(strings.TrimPrefix(name, "--"))
		if !slices.Contains(onboardColumns, name) {
			return nil, fmt.Errorf("the CSV header has an unknown column %q: the columns are %s", h, strings.Join(onboardColumns, ", "))
		}
		if slices.Contains(cols[:i], name) {
			return nil, fmt.Errorf("the CSV header names column %q twice", name)
		}
		cols[i] = name
	}
	if !slices.Contains(cols, "email") {
		return nil, fmt.Errorf("the CSV header has no email column: the columns are %s", strings.Join(onboardColumns, ", "))
	}
	return cols, nil
}

func blankRecord(rec []string) bool {
	return !slices.ContainsFunc(rec, func(s string) bool { return strings.TrimSpace(s) != "" })
}

func newUserOfRecord(line int, cols, rec []string) NewUser {
	nu := NewUser{Line: line}
	if len(rec) > len(cols) {
		nu.Problems = append(nu.Problems, fmt.Sprintf("%d cells, but the header names %d columns", len(rec), len(cols)))
	}
	for i, col := range cols {
		if i >= len(rec) {
			break
		}
		v := strings.TrimSpace(rec[i])
		switch col {
		case "email":
			nu.Email = v
		case "first":
			nu.First = v
		case "last":
			nu.Last = v
		case "role":
			nu.Roles = splitCell(v)
		case "team":
			nu.Team = v
		case "secondary-team":
			nu.SecondaryTeams = splitCell(v)
		case "seat":
			nu.Seats = splitCell(v)
		case "send-welcome-email":
			yes, ok := yesNo(v)
			if !ok {
				nu.Problems = append(nu.Problems, fmt.Sprintf("send-welcome-email %q is neither yes nor no", v))
			}
			nu.SendWelcomeEmail = yes
		}
	}
	return nu
}

// splitCell splits a cell listing several values with ";".
func splitCell(v string) []string { return nonEmpty(strings.Split(v, ";")) }

func yesNo(v string) (yes, ok bool) {
	switch strings.ToLower(v) {
	case "", "no", "n", "false", "0":
		return false, true
	case "yes", "y", "true", "1":
		return true, true
	}
	return false, false
}
