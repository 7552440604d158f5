#!/usr/bin/env python3
"""Writes the malformed-input corpus for `lending score` tests (run from this folder).

Each file is German Credit's header and a few good rows with one defect. The expected
diagnostics live in Tests/LendingPipelineTests/MalformedCorpusTests.swift. The 10 MB line is
made by the test itself so the repository stays small.
"""
import csv, io

src = open('../german-credit.csv', newline='', encoding='utf-8').read().splitlines()
header, rows = src[0], src[1:4]
good = '\n'.join(rows) + '\n'
names = header.split(',')

def row_with(column, value, base=rows[0]):
    fields = next(csv.reader([base]))
    fields[names.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator='').writerow(fields)
    return out.getvalue()

def write(name, data):
    mode = 'wb' if isinstance(data, bytes) else 'w'
    with open(name, mode, **({} if mode == 'wb' else {'newline': '', 'encoding': 'utf-8'})) as f:
        f.write(data)

H = header + '\n'
write('empty.csv', b'')
write('header-only.csv', H)
write('blank-lines-after-header.csv', H + '\n\r\n\n')
assert 'customers name"' in rows[0]
write('unterminated-quote.csv', H + rows[1] + '\n' + rows[0].replace('customers name"', 'customers name', 1) + '\n' + rows[2] + '\n')
write('wrong-field-count-short.csv', H + rows[0] + '\n' + ','.join(rows[1].split(',')[:10]) + '\n' + rows[2] + '\n')
write('wrong-field-count-long.csv', H + rows[0] + '\n' + rows[1] + ',extra,fields\n' + rows[2] + '\n')
write('text-in-numeric.csv', H + rows[0] + '\n' + row_with('credit_amount', 'abc', rows[1]) + '\n' + rows[2] + '\n')
write('thousands-separator.csv', H + rows[0] + '\n' + row_with('credit_amount', '5,951', rows[1]) + '\n')
write('nan-in-numeric.csv', H + row_with('duration_in_month', 'NaN') + '\n')
write('infinity-in-numeric.csv', H + row_with('age_in_years', 'inf') + '\n')
write('overflow-in-numeric.csv', H + row_with('credit_amount', '1e400') + '\n')
write('unseen-category.csv', H + rows[0] + '\n' + row_with('housing', 'castle', rows[1]) + '\n' + rows[2] + '\n')
write('missing-value.csv', H + row_with('age_in_years', '') + '\n' + rows[1] + '\n')
write('missing-required-column.csv', ','.join(n for n in names if n != 'credit_amount') + '\n' +
      '\n'.join(','.join(f for i, f in enumerate(next(csv.reader([r]))) if names[i] != 'credit_amount') for r in rows) + '\n')
write('duplicate-header.csv', header + ',housing\n' + rows[0] + ',own\n')
write('empty-header-name.csv', header.replace('housing', '', 1) + '\n' + rows[0] + '\n')
write('quote-in-unquoted-field.csv', H + row_with('purpose', 'radio"television') .replace('"radio""television"', 'radio"television') + '\n' + rows[1] + '\n')
write('text-after-closing-quote.csv', H + rows[0].replace('"yes, registered under the customers name"', '"yes, registered under the customers name"x') + '\n' + rows[1] + '\n')
write('invalid-utf8.csv', (H + rows[0] + '\n').encode() + row_with('purpose', 'PLACEHOLDER', rows[1]).encode().replace(b'PLACEHOLDER', b'radio\xff\xfetelevision') + b'\n')
write('invalid-utf8-header.csv', header.encode().replace(b'housing', b'hous\xc3ing') + b'\n' + rows[0].encode() + b'\n')
write('nul-byte.csv', (H + rows[0] + '\n').encode() + row_with('housing', 'PLACEHOLDER', rows[1]).encode().replace(b'PLACEHOLDER', b'o\x00wn') + b'\n')
write('binary-garbage.csv', bytes((i * 97 + 13) % 256 for i in range(4096)))
write('crlf-bom-valid.csv', ('\ufeff' + header + '\r\n' + '\r\n'.join(rows) + '\r\n').encode())
write('many-bad-rows.csv', H + rows[0] + '\n' + row_with('housing', 'castle') + '\n' + rows[1] + '\n'
      + row_with('credit_amount', 'x') + '\n' + ','.join(rows[2].split(',')[:3]) + '\n' + rows[2] + '\n')
print('ok')
