package io.hearsay.testnet.chart;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** An SVG document parsed by the JDK's DOM parser, with the lookups the chart tests need. */
record SvgFile(Document document) {
    static final String SVG_NAMESPACE = "http://www.w3.org/2000/svg";

    /** Parses {@code svg}; a document that is not well-formed XML fails here, with the parser's message. */
    static SvgFile parse(String svg) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return new SvgFile(factory.newDocumentBuilder().parse(
                    new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8))));
        } catch (Exception e) {
            throw new AssertionError("not well-formed XML: " + e.getMessage() + "\n" + svg, e);
        }
    }

    Element root() {
        return document.getDocumentElement();
    }

    /** The element with this {@code id} (the chart's groups: x-axis, y-axis, series, legend). */
    Element group(String id) {
        NodeList groups = document.getElementsByTagNameNS(SVG_NAMESPACE, "g");
        for (int i = 0; i < groups.getLength(); i++) {
            Element group = (Element) groups.item(i);
            if (id.equals(group.getAttribute("id"))) {
                return group;
            }
        }
        throw new AssertionError("no <g id=\"" + id + "\"> in the chart");
    }

    static List<Element> children(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagNameNS(SVG_NAMESPACE, name);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    /** The series' paths, in drawing order. */
    List<Element> seriesPaths() {
        return children(group("series"), "path");
    }

    List<String> legendNames() {
        return children(group("legend"), "text").stream().map(Element::getTextContent).toList();
    }

    /** The tick labels along an axis ("x-axis" or "y-axis"), in order. */
    List<String> tickLabels(String axis) {
        return children(group(axis), "text").stream().filter(e -> "tick".equals(e.getAttribute("class")))
                .map(Element::getTextContent).toList();
    }

    String axisTitle(String axis) {
        return children(group(axis), "text").stream().filter(e -> "axis-title".equals(e.getAttribute("class")))
                .map(Element::getTextContent).findFirst().orElseThrow(() -> new AssertionError("no title on " + axis));
    }
}
