import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { XmlError, child, parseXml } from '../../../src/xml/parse.js';
import { el, renderXml } from '../../../src/xml/write.js';

describe('parseXml', () => {
  it('resolves namespaces by URI whatever the prefix, default namespaces included', () => {
    for (const body of [
      '<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/></D:prop></D:propfind>',
      '<propfind xmlns="DAV:"><prop><getetag/></prop></propfind>',
      '<weird:propfind xmlns:weird="DAV:"><weird:prop><x:getetag xmlns:x="DAV:"/></weird:prop></weird:propfind>',
    ]) {
      const root = parseXml(body);
      expect([root.ns, root.local]).toEqual(['DAV:', 'propfind']);
      expect(child(child(root, 'DAV:', 'prop'), 'DAV:', 'getetag')).toBeDefined();
    }
  });

  it('decodes character references and predefined entities', () => {
    expect(parseXml('<a xmlns="urn:x">A&#13;&#10;B &amp; &lt;c&gt; &#xE9;</a>').text).toBe('A\r\nB & <c> é');
  });

  it.each([
    ['DOCTYPE', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'],
    ['an undeclared prefix', '<x:a/>'],
    ['malformed XML', '<a><b></a>'],
    ['nesting deeper than 64', `${'<a>'.repeat(65)}${'</a>'.repeat(65)}`],
    ['a hostile nesting, unclosed', '<a>'.repeat(200_000)],
    ['an entity outside the five XML defines', '<a>&nbsp;</a>'],
    ['text after the root', '<a/>b'],
    ['two roots', '<a/><b/>'],
    ['no element', '   '],
  ])('refuses %s', (_what, body) => {
    expect(() => parseXml(body)).toThrow(XmlError);
  });

  it('says where malformed XML breaks', () => {
    expect(() => parseXml('<a>\n<b></a>')).toThrow(/malformed XML: 2:\d+: unexpected close tag/);
  });

  it('keeps CDATA as text and ignores comments and processing instructions', () => {
    const root = parseXml('<?xml version="1.0"?><!-- c --><a xmlns="urn:x"><?pi x?>one <![CDATA[<two> & ]]>three<!-- d --></a>');
    expect(root.text).toBe('one <two> & three');
  });

  it('accepts exactly 64 levels', () => {
    expect(parseXml(`${'<a>'.repeat(64)}${'</a>'.repeat(64)}`).local).toBe('a');
  });
});

describe('renderXml', () => {
  it('declares each namespace once, on the root, and escapes text and attributes', () => {
    const xml = renderXml(el('{DAV:}multistatus',
      el('{DAV:}response', el('{DAV:}href', '/a&b<c>'), { name: '{urn:ietf:params:xml:ns:caldav}comp', attrs: { name: 'V"E' } }),
      el('{urn:other}thing', 'CR\r\nLF'))).toString('utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml.match(/xmlns:/g)).toHaveLength(3);
    expect(xml).toContain('<d:multistatus xmlns:d="DAV:"');
    expect(xml).toContain('/a&amp;b&lt;c&gt;');
    expect(xml).toContain('name="V&quot;E"');
    // Line ends go out as they are (as sabre/dav and Radicale send calendar-data).
    expect(xml).toContain('>CR\r\nLF<');
  });

  it('copies byte contents as UTF-8, escaped only where they need it', () => {
    const plain = Buffer.from('SUMMARY:Café ☕\r\n', 'utf8');
    const xml = renderXml(el('{DAV:}prop',
      { name: '{DAV:}a', bytes: plain },
      { name: '{DAV:}b', bytes: Buffer.from('DESCRIPTION:<b>Fish & chips</b>', 'utf8') },
      el('{DAV:}c', 'après'))).toString('utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('<d:a>SUMMARY:Café ☕\r\n</d:a>');
    expect(xml).toContain('<d:b>DESCRIPTION:&lt;b&gt;Fish &amp; chips&lt;/b&gt;</d:b>');
    expect(xml).toContain('<d:c>après</d:c>');
    expect(parseXml(xml).children.map((c) => c.text)).toEqual(['SUMMARY:Café ☕\n', 'DESCRIPTION:<b>Fish & chips</b>', 'après']);
  });

  it('writes an empty root as a self-closing tag', () => {
    expect(renderXml(el('{DAV:}multistatus')).toString('utf8')).toMatch(/<d:multistatus xmlns:d="DAV:"\/>$/);
  });
});
