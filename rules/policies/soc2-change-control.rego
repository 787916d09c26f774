# SOC 2 CC8.1 change control for AI-written code: a genguard gate policy.
#
#   genguard gate --policy rules/policies/soc2-change-control.rego            # the staged change
#   genguard gate --policy rules/policies/soc2-change-control.rego main..HEAD # a branch
#
# AI-written code lands only when
#   1. a person has reviewed it (every AI range has status "reviewed"), and
#   2. no high finding is open in it: severity "error" after overrides, or a
#      security_severity of 7.0 or more (high and critical). Suppressed findings carry
#      a written reason and a name; fixed ones are gone.
# In a revision range, a commit made with --no-verify (the note says bypass) is refused.
# When CI passes test facts they are enforced too:
#   --fact tests_passed=false          refuses the change
#   --fact coverage=81.5 --fact min_coverage=85   refuses coverage below the minimum
#
# Extend it in a file of your own in the same package (pass several --policy files, or
# a directory): every `deny contains msg if { ... }` rule adds reasons to refuse.
# `genguard gate --print-input` shows the document the rules see.
package genguard

import rego.v1

# Findings at or above this security severity block (CVSS-like: 7 high, 9 critical).
# Override with --fact high_security_severity=9 to block only critical ones.
default high_security_severity := 7

high_security_severity := input.facts.high_security_severity if {
	is_number(input.facts.high_security_severity)
}

high(f) if f.severity == "error"

high(f) if {
	is_number(f.security_severity)
	f.security_severity >= high_security_severity
}

deny contains msg if {
	some file in input.files
	some r in file.ai
	r.status != "reviewed"
	msg := sprintf(
		"%s:%d-%d: AI-written code from %s is not reviewed: review it and mark the chunk reviewed (CC8.1)",
		[file.path, r.start, r.end, r.tool],
	)
}

deny contains msg if {
	some f in input.findings
	f.handling == "open"
	high(f)
	msg := concat("", [
		sprintf("%s:%d: open %s finding %s", [f.file, f.line, f.severity, f.rule]),
		cwe_suffix(f),
		" in AI-written code: fix it, or suppress it with a reason (CC8.1)",
	])
}

# Messages are joined with concat: sprintf's %s is for values taken from the input.
cwe_suffix(f) := concat("", [" (", concat(", ", f.cwe), ")"]) if count(f.cwe) > 0

cwe_suffix(f) := "" if count(f.cwe) == 0

deny contains msg if {
	some c in input.commits
	c.bypass
	msg := sprintf("commit %s was made with --no-verify: the gate did not run (CC8.1)", [c.commit])
}

deny contains "tests did not pass (fact tests_passed=false)" if {
	input.facts.tests_passed == false
}

deny contains msg if {
	is_number(input.facts.coverage)
	is_number(input.facts.min_coverage)
	input.facts.coverage < input.facts.min_coverage
	msg := sprintf(
		"test coverage %v is below the minimum %v",
		[input.facts.coverage, input.facts.min_coverage],
	)
}
