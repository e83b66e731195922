#include "vendors/sim/mplane/mplane_datastore.h"

namespace plugfest::sim {

// One Category A O-RU for n78 with one 4T4R-capable array pair (four static endpoints per
// direction for data, four more on receive for PRACH), one configured but inactive 100 MHz
// carrier per direction, Ethernet transport on VLAN 100, reception-window measurement.
const char* initial_oru_data() {
  return R"xml(
<hardware xmlns="urn:ietf:params:xml:ns:yang:ietf-hardware"
          xmlns:ianahw="urn:ietf:params:xml:ns:yang:iana-hardware"
          xmlns:o-ran-hw="urn:o-ran:hardware:1.0">
  <component>
    <name>ru-module</name>
    <class>o-ran-hw:O-RAN-RADIO</class>
    <description>plugfest simulated O-RU</description>
    <hardware-rev>1.0</hardware-rev>
    <software-rev>1.4.2</software-rev>
    <serial-num>SIM0000001</serial-num>
    <mfg-name>plugfest</mfg-name>
    <model-name>SIM-ORU-N78</model-name>
    <is-fru>true</is-fru>
    <state>
      <admin-state>unlocked</admin-state>
      <oper-state>enabled</oper-state>
      <usage-state>active</usage-state>
      <availability-state xmlns="urn:o-ran:hardware:1.0">NORMAL</availability-state>
    </state>
    <label-content xmlns="urn:o-ran:hardware:1.0">
      <model-name>true</model-name>
      <serial-number>true</serial-number>
    </label-content>
    <product-code xmlns="urn:o-ran:hardware:1.0">PF-ORU-78</product-code>
    <o-ran-name xmlns="urn:o-ran:hardware:1.0">ru-module</o-ran-name>
  </component>
  <component>
    <name>fh-port-0</name>
    <class>ianahw:port</class>
    <parent>ru-module</parent>
    <parent-rel-pos>0</parent-rel-pos>
    <o-ran-name xmlns="urn:o-ran:hardware:1.0">fh-port-0</o-ran-name>
  </component>
</hardware>
<interfaces xmlns="urn:ietf:params:xml:ns:yang:ietf-interfaces"
            xmlns:ianaift="urn:ietf:params:xml:ns:yang:iana-if-type">
  <interface>
    <name>eth0</name>
    <type>ianaift:ethernetCsmacd</type>
    <enabled>true</enabled>
    <oper-status>up</oper-status>
    <mac-address xmlns="urn:o-ran:interfaces:1.0">02:00:00:00:00:01</mac-address>
    <statistics>
      <discontinuity-time>2026-01-01T00:00:00Z</discontinuity-time>
    </statistics>
  </interface>
  <interface>
    <name>eth0.100</name>
    <type>ianaift:l2vlan</type>
    <enabled>true</enabled>
    <oper-status>up</oper-status>
    <base-interface xmlns="urn:o-ran:interfaces:1.0">eth0</base-interface>
    <vlan-id xmlns="urn:o-ran:interfaces:1.0">100</vlan-id>
    <mac-address xmlns="urn:o-ran:interfaces:1.0">02:00:00:00:00:01</mac-address>
    <statistics>
      <discontinuity-time>2026-01-01T00:00:00Z</discontinuity-time>
    </statistics>
  </interface>
</interfaces>
<processing-elements xmlns="urn:o-ran:processing-element:1.0">
  <transport-session-type>ETH-INTERFACE</transport-session-type>
  <ru-elements>
    <name>pe-0</name>
    <transport-flow>
      <interface-name>eth0.100</interface-name>
      <eth-flow>
        <ru-mac-address>02:00:00:00:00:01</ru-mac-address>
        <vlan-id>100</vlan-id>
        <o-du-mac-address>02:00:00:00:00:02</o-du-mac-address>
      </eth-flow>
    </transport-flow>
  </ru-elements>
</processing-elements>
<module-capability xmlns="urn:o-ran:module-cap:1.0">
  <ru-capabilities>
    <ru-supported-category>CAT_A</ru-supported-category>
    <number-of-ru-ports-ul>4</number-of-ru-ports-ul>
    <number-of-ru-ports-dl>4</number-of-ru-ports-dl>
    <number-of-spatial-streams>4</number-of-spatial-streams>
    <max-num-bands>1</max-num-bands>
    <format-of-iq-sample>
      <dynamic-compression-supported>false</dynamic-compression-supported>
      <realtime-variable-bit-width-supported>false</realtime-variable-bit-width-supported>
      <compression-method-supported>
        <iq-bitwidth>9</iq-bitwidth>
        <compression-type>STATIC</compression-type>
        <compression-method>BLOCK_FLOATING_POINT</compression-method>
      </compression-method-supported>
      <compression-method-supported>
        <iq-bitwidth>14</iq-bitwidth>
        <compression-type>STATIC</compression-type>
        <compression-method>BLOCK_FLOATING_POINT</compression-method>
      </compression-method-supported>
      <compression-method-supported>
        <iq-bitwidth>16</iq-bitwidth>
        <compression-type>STATIC</compression-type>
        <compression-method>NO_COMPRESSION</compression-method>
      </compression-method-supported>
    </format-of-iq-sample>
    <energy-saving-by-transmission-blanks>false</energy-saving-by-transmission-blanks>
    <dynamic-transport-delay-management-supported>false</dynamic-transport-delay-management-supported>
  </ru-capabilities>
  <band-capabilities>
    <band-number>78</band-number>
    <max-supported-frequency-dl>3800000000</max-supported-frequency-dl>
    <min-supported-frequency-dl>3300000000</min-supported-frequency-dl>
    <max-supported-bandwidth-dl>100000000</max-supported-bandwidth-dl>
    <max-num-carriers-dl>1</max-num-carriers-dl>
    <supported-technology-dl>NR</supported-technology-dl>
    <max-supported-frequency-ul>3800000000</max-supported-frequency-ul>
    <min-supported-frequency-ul>3300000000</min-supported-frequency-ul>
    <max-supported-bandwidth-ul>100000000</max-supported-bandwidth-ul>
    <max-num-carriers-ul>1</max-num-carriers-ul>
    <supported-technology-ul>NR</supported-technology-ul>
  </band-capabilities>
</module-capability>
<user-plane-configuration xmlns="urn:o-ran:uplane-conf:1.0">
  <tx-arrays>
    <name>tx-array-0</name>
    <number-of-rows>1</number-of-rows>
    <number-of-columns>2</number-of-columns>
    <number-of-array-layers>2</number-of-array-layers>
    <polarisations><p>0</p><polarisation>MINUS_45</polarisation></polarisations>
    <polarisations><p>1</p><polarisation>PLUS_45</polarisation></polarisations>
    <band-number>78</band-number>
    <max-gain>24.0</max-gain>
    <independent-power-budget>false</independent-power-budget>
  </tx-arrays>
  <rx-arrays>
    <name>rx-array-0</name>
    <number-of-rows>1</number-of-rows>
    <number-of-columns>2</number-of-columns>
    <number-of-array-layers>2</number-of-array-layers>
    <polarisations><p>0</p><polarisation>MINUS_45</polarisation></polarisations>
    <polarisations><p>1</p><polarisation>PLUS_45</polarisation></polarisations>
    <band-number>78</band-number>
    <gain-correction-range><max>10.0</max><min>-10.0</min></gain-correction-range>
  </rx-arrays>
  <endpoint-types>
    <id>0</id>
    <supported-section-types><section-type>0</section-type></supported-section-types>
    <supported-section-types>
      <section-type>1</section-type>
      <supported-section-extensions>1</supported-section-extensions>
      <supported-section-extensions>11</supported-section-extensions>
    </supported-section-types>
    <supported-section-types><section-type>3</section-type></supported-section-types>
    <supported-frame-structures>193</supported-frame-structures>
    <managed-delay-support>MANAGED</managed-delay-support>
    <multiple-numerology-supported>false</multiple-numerology-supported>
  </endpoint-types>
  <static-low-level-tx-endpoints><name>tx-endpoint-0</name><array>tx-array-0</array><endpoint-type>0</endpoint-type></static-low-level-tx-endpoints>
  <static-low-level-tx-endpoints><name>tx-endpoint-1</name><array>tx-array-0</array><endpoint-type>0</endpoint-type></static-low-level-tx-endpoints>
  <static-low-level-tx-endpoints><name>tx-endpoint-2</name><array>tx-array-0</array><endpoint-type>0</endpoint-type></static-low-level-tx-endpoints>
  <static-low-level-tx-endpoints><name>tx-endpoint-3</name><array>tx-array-0</array><endpoint-type>0</endpoint-type></static-low-level-tx-endpoints>
  <static-low-level-rx-endpoints><name>rx-endpoint-0</name><array>rx-array-0</array><endpoint-type>0</endpoint-type></static-low-level-rx-endpoints>
  <static-low-level-rx-endpoints><name>rx-endpoint-1</name><array>rx-array-0</array><endpoint-type>0</endpoint-type></static-low-level-rx-endpoints>
  <static-low-level-rx-endpoints><name>rx-endpoint-2</name><array>rx-array-0</array><endpoint-type>0</endpoint-type></static-low-level-rx-endpoints>
  <static-low-level-rx-endpoints><name>rx-endpoint-3</name><array>rx-array-0</array><endpoint-type>0</endpoint-type></static-low-level-rx-endpoints>
  <static-low-level-rx-endpoints><name>rx-endpoint-4</name><array>rx-array-0</array><endpoint-type>0</endpoint-type></static-low-level-rx-endpoints>
  <static-low-level-rx-endpoints><name>rx-endpoint-5</name><array>rx-array-0</array><endpoint-type>0</endpoint-type></static-low-level-rx-endpoints>
  <static-low-level-rx-endpoints><name>rx-endpoint-6</name><array>rx-array-0</array><endpoint-type>0</endpoint-type></static-low-level-rx-endpoints>
  <static-low-level-rx-endpoints><name>rx-endpoint-7</name><array>rx-array-0</array><endpoint-type>0</endpoint-type></static-low-level-rx-endpoints>
  <low-level-tx-endpoints>
    <name>tx-endpoint-0</name>
    <compression>
      <iq-bitwidth>9</iq-bitwidth>
      <compression-type>STATIC</compression-type>
      <compression-method>BLOCK_FLOATING_POINT</compression-method>
    </compression>
    <cp-length>352</cp-length>
    <cp-length-other>288</cp-length-other>
    <offset-to-absolute-frequency-center>-1638</offset-to-absolute-frequency-center>
    <number-of-prb-per-scs><scs>KHZ_30</scs><number-of-prb>273</number-of-prb></number-of-prb-per-scs>
    <e-axcid>
      <o-du-port-bitmask>61440</o-du-port-bitmask>
      <band-sector-bitmask>3840</band-sector-bitmask>
      <ccid-bitmask>240</ccid-bitmask>
      <ru-port-bitmask>15</ru-port-bitmask>
      <eaxc-id>0</eaxc-id>
    </e-axcid>
  </low-level-tx-endpoints>
  <low-level-rx-endpoints>
    <name>rx-endpoint-0</name>
    <compression>
      <iq-bitwidth>9</iq-bitwidth>
      <compression-type>STATIC</compression-type>
      <compression-method>BLOCK_FLOATING_POINT</compression-method>
    </compression>
    <cp-length>352</cp-length>
    <cp-length-other>288</cp-length-other>
    <offset-to-absolute-frequency-center>-1638</offset-to-absolute-frequency-center>
    <number-of-prb-per-scs><scs>KHZ_30</scs><number-of-prb>273</number-of-prb></number-of-prb-per-scs>
    <e-axcid>
      <o-du-port-bitmask>61440</o-du-port-bitmask>
      <band-sector-bitmask>3840</band-sector-bitmask>
      <ccid-bitmask>240</ccid-bitmask>
      <ru-port-bitmask>15</ru-port-bitmask>
      <eaxc-id>0</eaxc-id>
    </e-axcid>
  </low-level-rx-endpoints>
  <tx-array-carriers>
    <name>tx-carrier-0</name>
    <center-of-channel-bandwidth>3500000000</center-of-channel-bandwidth>
    <channel-bandwidth>100000000</channel-bandwidth>
    <active>INACTIVE</active>
    <state>DISABLED</state>
    <type>NR</type>
    <downlink-radio-frame-offset>0</downlink-radio-frame-offset>
    <downlink-sfn-offset>0</downlink-sfn-offset>
    <gain>0.0</gain>
  </tx-array-carriers>
  <rx-array-carriers>
    <name>rx-carrier-0</name>
    <center-of-channel-bandwidth>3500000000</center-of-channel-bandwidth>
    <channel-bandwidth>100000000</channel-bandwidth>
    <active>INACTIVE</active>
    <state>DISABLED</state>
    <type>NR</type>
    <downlink-radio-frame-offset>0</downlink-radio-frame-offset>
    <downlink-sfn-offset>0</downlink-sfn-offset>
    <gain-correction>0.0</gain-correction>
    <n-ta-offset>0</n-ta-offset>
  </rx-array-carriers>
  <low-level-tx-links>
    <name>tx-link-0</name>
    <processing-element>pe-0</processing-element>
    <tx-array-carrier>tx-carrier-0</tx-array-carrier>
    <low-level-tx-endpoint>tx-endpoint-0</low-level-tx-endpoint>
  </low-level-tx-links>
  <low-level-rx-links>
    <name>rx-link-0</name>
    <processing-element>pe-0</processing-element>
    <rx-array-carrier>rx-carrier-0</rx-array-carrier>
    <low-level-rx-endpoint>rx-endpoint-0</low-level-rx-endpoint>
  </low-level-rx-links>
</user-plane-configuration>
<active-alarm-list xmlns="urn:o-ran:fm:1.0"/>
<software-inventory xmlns="urn:o-ran:software-management:1.0">
  <software-slot>
    <name>slot-a</name>
    <status>VALID</status>
    <active>true</active>
    <running>true</running>
    <access>READ_WRITE</access>
    <vendor-code>PF</vendor-code>
    <build-id>sim-1.4.2</build-id>
    <build-name>plugfest-oru</build-name>
    <build-version>1.4.2</build-version>
    <files><name>oru.bin</name><version>1.4.2</version><local-path>/firmware/slot-a/oru.bin</local-path><integrity>OK</integrity></files>
  </software-slot>
  <software-slot>
    <name>slot-b</name>
    <status>EMPTY</status>
    <access>READ_WRITE</access>
  </software-slot>
  <software-slot>
    <name>factory</name>
    <status>VALID</status>
    <active>false</active>
    <running>false</running>
    <access>READ_ONLY</access>
    <vendor-code>PF</vendor-code>
    <build-id>sim-1.0.0</build-id>
    <build-name>plugfest-oru</build-name>
    <build-version>1.0.0</build-version>
    <files><name>oru.bin</name><version>1.0.0</version><local-path>/firmware/factory/oru.bin</local-path><integrity>OK</integrity></files>
  </software-slot>
</software-inventory>
<operational-info xmlns="urn:o-ran:operations:1.0">
  <declarations>
    <ru-instance-id>plugfest_SIM-ORU-N78_SIM0000001</ru-instance-id>
    <supported-mplane-version>15.0.0</supported-mplane-version>
    <supported-cusplane-version>15.0.0</supported-cusplane-version>
    <supported-header-mechanism>
      <protocol>ECPRI</protocol>
      <ecpri-concatenation-support>false</ecpri-concatenation-support>
      <protocol-version>1.0</protocol-version>
    </supported-header-mechanism>
    <maximum-simultaneous-netconf-sessions>4</maximum-simultaneous-netconf-sessions>
  </declarations>
  <operational-state>
    <restart-cause>POWER-ON</restart-cause>
    <restart-datetime>2026-01-01T00:00:00Z</restart-datetime>
  </operational-state>
  <clock>
    <timezone-name>UTC</timezone-name>
    <timezone-utc-offset>0</timezone-utc-offset>
  </clock>
  <re-call-home-no-ssh-timer>60</re-call-home-no-ssh-timer>
  <max-call-home-attempts>3</max-call-home-attempts>
</operational-info>
<performance-measurement-objects xmlns="urn:o-ran:performance-management:1.0">
  <rx-window-measurement-interval>1</rx-window-measurement-interval>
</performance-measurement-objects>
<supervision xmlns="urn:o-ran:supervision:1.0">
  <cu-plane-monitoring>
    <configured-cu-monitoring-interval>160</configured-cu-monitoring-interval>
  </cu-plane-monitoring>
</supervision>
)xml";
}

}  // namespace plugfest::sim
