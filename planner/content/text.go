package content

import (
	"strconv"
	"sync"
)

// TextMax is the most text a text file gets in sparse mode. A smaller
// file is text to its end, with a final newline; a larger one has
// TextMax bytes of text, cut mid-line, and then a hole that reads as
// zeros. The cap keeps the sparse mode cheap for large logs and exports.
const TextMax = 64 << 10

// corpusLen is the length of a family's corpus: a file's text is a
// window of up to TextMax bytes that starts at one of the lines in the
// first half.
const corpusLen = 2 * TextMax

// family is a kind of text: a line generator and the corpus it builds
// once, on first use.
type family struct {
	line   func(r *rng, b []byte) []byte
	once   sync.Once
	corpus []byte
	starts []int32 // offsets of the lines a window may start at
}

// text returns the corpus and the window start for key.
func (f *family) text(key uint64) ([]byte, int) {
	f.once.Do(f.build)
	return f.corpus, int(f.starts[mix(key^0x7465787400)%uint64(len(f.starts))])
}

func (f *family) build() {
	r := rng{s: 0x636f6e74656e74}
	b := make([]byte, 0, corpusLen+256)
	for len(b) < corpusLen {
		if len(b) <= corpusLen-TextMax {
			f.starts = append(f.starts, int32(len(b)))
		}
		b = f.line(&r, b)
	}
	f.corpus = b
}

// textType is a text extension: its first lines and its family.
type textType struct {
	prologue []byte
	family   *family
}

var (
	prose = &family{line: proseLine}
	csv   = &family{line: csvLine}
	logs  = &family{line: logLine}
	xml   = &family{line: xmlLine}
	json  = &family{line: jsonLine}
	html  = &family{line: htmlLine}
	ini   = &family{line: iniLine}
	hash  = &family{line: hashLine}
	sql   = &family{line: sqlLine}
	slash = &family{line: slashLine}
	batch = &family{line: batchLine}
)

const (
	emlHead = "From: it.support@example.com\r\n" +
		"To: all.staff@example.com\r\nSubject: Update\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\n"
	htmlHead = "<!DOCTYPE html>\n<html lang=\"en\">\n" +
		"<head><meta charset=\"utf-8\"><title>Report</title></head>\n" +
		"<body>\n"
)

// textTypes maps the text extensions of a department share to their text.
var textTypes = map[string]textType{
	"txt":    {nil, prose},
	"md":     {[]byte("# Notes\n\n"), prose},
	"eml":    {[]byte(emlHead), prose},
	"csv":    {[]byte("Date,Reference,Account,Counterparty,Amount,Status\r\n"), csv},
	"tsv":    {[]byte("Date\tReference\tAccount\tCounterparty\tAmount\tStatus\r\n"), csv},
	"log":    {nil, logs},
	"xml":    {[]byte("<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<records>\r\n"), xml},
	"config": {[]byte("<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<configuration>\r\n"), xml},
	"json":   {[]byte("{\n  \"items\": [\n"), json},
	"html":   {[]byte(htmlHead), html},
	"htm":    {[]byte(htmlHead), html},
	"ini":    {[]byte("[General]\r\n"), ini},
	"cfg":    {[]byte("[General]\r\n"), ini},
	"conf":   {[]byte("# Configuration\n"), ini},
	"inf":    {[]byte("[Version]\r\nSignature=\"$Windows NT$\"\r\n"), ini},
	"ps1":    {[]byte("#Requires -Version 5.1\r\n"), hash},
	"psm1":   {[]byte("#Requires -Version 5.1\r\n"), hash},
	"py":     {[]byte("#!/usr/bin/env python3\n"), hash},
	"sh":     {[]byte("#!/bin/sh\n"), hash},
	"yaml":   {[]byte("---\n"), hash},
	"yml":    {[]byte("---\n"), hash},
	"sql":    {[]byte("SET NOCOUNT ON;\r\nGO\r\n"), sql},
	"js":     {[]byte("'use strict';\n"), slash},
	"cs":     {[]byte("using System;\r\n"), slash},
	"java":   {[]byte("package com.example;\n"), slash},
	"c":      {[]byte("#include <stdio.h>\n"), slash},
	"h":      {[]byte("#pragma once\n"), slash},
	"css":    {[]byte("/* styles */\n"), slash},
	"bat":    {[]byte("@echo off\r\n"), batch},
	"cmd":    {[]byte("@echo off\r\n"), batch},
	"vbs":    {[]byte("Option Explicit\r\n"), batch},
}

var (
	nouns = []string{"budget", "invoice", "contract", "forecast", "audit",
		"policy", "vendor", "payroll", "schedule", "report", "proposal",
		"review", "meeting", "project", "account", "customer", "order",
		"shipment", "quarter", "target", "training", "headcount", "risk",
		"approval", "renewal", "claim", "ledger", "statement", "plan"}
	verbs = []string{"approved", "reviewed", "updated", "submitted",
		"reconciled", "signed", "postponed", "escalated", "closed",
		"drafted", "shared", "archived", "requested", "confirmed"}
	adjs = []string{"annual", "quarterly", "final", "revised", "pending",
		"regional", "internal", "draft", "updated", "new", "current"}
	depts = []string{"Finance", "HR", "Legal", "Sales", "Marketing",
		"Operations", "IT", "Procurement", "Facilities", "Engineering"}
	firms = []string{"Acme Supplies", "Northwind Traders", "Contoso Ltd",
		"Fabrikam Inc", "Globex Corp", "Initech", "Umbrella Logistics",
		"Wayne Freight", "Tailspin Toys", "Litware Inc"}
	levels  = []string{"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"}
	svcs    = []string{"backup", "sync", "scheduler", "mailer", "importer"}
	states  = []string{"Paid", "Open", "Overdue", "Void", "Pending"}
	columns = []string{"Amount", "Owner", "Region", "DueDate", "Status"}
)

func sentence(r *rng, b []byte) []byte {
	b = append(b, "The "...)
	b = append(b, r.pick(adjs)...)
	b = append(b, ' ')
	b = append(b, r.pick(nouns)...)
	b = append(b, " for "...)
	b = append(b, r.pick(depts)...)
	b = append(b, " was "...)
	b = append(b, r.pick(verbs)...)
	b = append(b, " by "...)
	b = append(b, r.pick(firms)...)
	return append(b, '.')
}

func date(r *rng, b []byte) []byte {
	b = strconv.AppendInt(b, int64(2018+r.intn(8)), 10)
	b = append(b, '-', byte('0'+r.intn(2)), byte('1'+r.intn(9)), '-')
	return append(b, byte('0'+r.intn(3)), byte('1'+r.intn(9)))
}

func num(r *rng, b []byte, n int) []byte {
	return strconv.AppendInt(b, int64(r.intn(n)), 10)
}

func proseLine(r *rng, b []byte) []byte {
	for range 1 + r.intn(4) {
		b = append(sentence(r, b), ' ')
	}
	return append(b[:len(b)-1], "\r\n"...)
}

func csvLine(r *rng, b []byte) []byte {
	b = append(date(r, b), ",INV-"...)
	b = num(r, b, 90000)
	b = append(append(b, ','), r.pick(depts)...)
	b = append(append(b, ','), r.pick(firms)...)
	b = append(num(r, append(b, ','), 50000), '.')
	b = append(num(r, b, 90), ',')
	return append(append(b, r.pick(states)...), "\r\n"...)
}

func logLine(r *rng, b []byte) []byte {
	b = append(date(r, b), ' ', byte('0'+r.intn(2)), byte('0'+r.intn(10)),
		':', byte('0'+r.intn(6)), byte('0'+r.intn(10)), ':',
		byte('0'+r.intn(6)), byte('0'+r.intn(10)), ' ')
	b = append(append(b, r.pick(levels)...), ' ')
	b = append(append(b, r.pick(svcs)...), '[')
	b = append(num(r, b, 30000), "]: "...)
	return append(sentence(r, b), '\n')
}

func xmlLine(r *rng, b []byte) []byte {
	b = append(b, "  <record id=\""...)
	b = append(num(r, b, 100000), "\" dept=\""...)
	b = append(append(b, r.pick(depts)...), "\">"...)
	return append(sentence(r, b), "</record>\r\n"...)
}

func jsonLine(r *rng, b []byte) []byte {
	b = append(b, "    {\"id\": "...)
	b = append(num(r, b, 100000), ", \"date\": \""...)
	b = append(date(r, b), "\", \"note\": \""...)
	return append(sentence(r, b), "\"},\n"...)
}

func htmlLine(r *rng, b []byte) []byte {
	b = append(b, "<p>"...)
	return append(sentence(r, b), "</p>\n"...)
}

func iniLine(r *rng, b []byte) []byte {
	if r.intn(8) == 0 {
		return append(append(append(b, '['), r.pick(depts)...), "]\r\n"...)
	}
	b = append(append(b, r.pick(columns)...), '=')
	return append(append(b, r.pick(nouns)...), "\r\n"...)
}

func hashLine(r *rng, b []byte) []byte {
	if r.intn(3) == 0 {
		return append(sentence(r, append(b, "# "...)), '\n')
	}
	b = append(append(b, r.pick(nouns)...), '_')
	b = append(append(b, r.pick(adjs)...), " = "...)
	return append(num(r, b, 10000), '\n')
}

func sqlLine(r *rng, b []byte) []byte {
	if r.intn(4) == 0 {
		return append(sentence(r, append(b, "-- "...)), "\r\n"...)
	}
	b = append(append(b, "SELECT "...), r.pick(columns)...)
	b = append(append(b, " FROM dbo."...), r.pick(depts)...)
	b = append(b, " WHERE Id = "...)
	return append(num(r, b, 100000), ";\r\n"...)
}

func slashLine(r *rng, b []byte) []byte {
	if r.intn(3) == 0 {
		return append(sentence(r, append(b, "// "...)), '\n')
	}
	b = append(append(b, "const "...), r.pick(nouns)...)
	b = append(append(b, r.pick(columns)...), " = "...)
	return append(num(r, b, 10000), ";\n"...)
}

func batchLine(r *rng, b []byte) []byte {
	if r.intn(3) == 0 {
		return append(sentence(r, append(b, "REM "...)), "\r\n"...)
	}
	b = append(append(b, "copy /y \\\\fs01\\"...), r.pick(depts)...)
	b = append(append(b, '\\'), r.pick(nouns)...)
	return append(b, ".xlsx %TEMP%\\\r\n"...)
}
