//! The product attributes the importer reads, by their CSV column name and their JSON
//! attribute name (research §1.11). CSV and JSON rows both answer `get(Attr)`; an absent
//! column or attribute reads as "".

/// A product attribute (or, in the CSV, a product column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attr {
    ProductFamily,
    RegionCode,
    Location,
    LocationType,
    UsageType,
    Operation,
    InstanceType,
    Tenancy,
    OperatingSystem,
    LicenseModel,
    PreInstalledSw,
    CapacityStatus,
    MarketOption,
    VolumeApiName,
    TransferType,
    FromRegionCode,
    FromLocation,
    ToRegionCode,
    ToLocation,
}

impl Attr {
    pub const ALL: &'static [Attr] = &[
        Attr::ProductFamily,
        Attr::RegionCode,
        Attr::Location,
        Attr::LocationType,
        Attr::UsageType,
        Attr::Operation,
        Attr::InstanceType,
        Attr::Tenancy,
        Attr::OperatingSystem,
        Attr::LicenseModel,
        Attr::PreInstalledSw,
        Attr::CapacityStatus,
        Attr::MarketOption,
        Attr::VolumeApiName,
        Attr::TransferType,
        Attr::FromRegionCode,
        Attr::FromLocation,
        Attr::ToRegionCode,
        Attr::ToLocation,
    ];

    /// The CSV header.
    pub fn csv(self) -> &'static str {
        match self {
            Attr::ProductFamily => "Product Family",
            Attr::RegionCode => "Region Code",
            Attr::Location => "Location",
            Attr::LocationType => "Location Type",
            Attr::UsageType => "usageType",
            Attr::Operation => "operation",
            Attr::InstanceType => "Instance Type",
            Attr::Tenancy => "Tenancy",
            Attr::OperatingSystem => "Operating System",
            Attr::LicenseModel => "License Model",
            Attr::PreInstalledSw => "Pre Installed S/W",
            Attr::CapacityStatus => "CapacityStatus",
            Attr::MarketOption => "MarketOption",
            Attr::VolumeApiName => "Volume API Name",
            Attr::TransferType => "Transfer Type",
            Attr::FromRegionCode => "From Region Code",
            Attr::FromLocation => "From Location",
            Attr::ToRegionCode => "To Region Code",
            Attr::ToLocation => "To Location",
        }
    }

    /// The JSON attribute (`productFamily` is a product field, not an attribute).
    pub fn json(self) -> &'static str {
        match self {
            Attr::ProductFamily => "productFamily",
            Attr::RegionCode => "regionCode",
            Attr::Location => "location",
            Attr::LocationType => "locationType",
            Attr::UsageType => "usagetype",
            Attr::Operation => "operation",
            Attr::InstanceType => "instanceType",
            Attr::Tenancy => "tenancy",
            Attr::OperatingSystem => "operatingSystem",
            Attr::LicenseModel => "licenseModel",
            Attr::PreInstalledSw => "preInstalledSw",
            Attr::CapacityStatus => "capacitystatus",
            Attr::MarketOption => "marketoption",
            Attr::VolumeApiName => "volumeApiName",
            Attr::TransferType => "transferType",
            Attr::FromRegionCode => "fromRegionCode",
            Attr::FromLocation => "fromLocation",
            Attr::ToRegionCode => "toRegionCode",
            Attr::ToLocation => "toLocation",
        }
    }

    pub fn index(self) -> usize {
        Attr::ALL.iter().position(|a| *a == self).unwrap_or(0)
    }
}

/// A product as the selector sees it.
pub trait Attrs {
    fn get(&self, attr: Attr) -> &str;
}

/// Attributes held as owned strings (JSON products, GetProducts answers).
#[derive(Debug, Clone, Default)]
pub struct OwnedAttrs(pub [String; 19]);

impl Attrs for OwnedAttrs {
    fn get(&self, attr: Attr) -> &str {
        self.0[attr.index()].trim()
    }
}

impl OwnedAttrs {
    /// From a JSON product: its `productFamily` and `attributes` map.
    pub fn from_json(product_family: &str, attributes: &serde_json::Map<String, serde_json::Value>) -> OwnedAttrs {
        let mut out = OwnedAttrs::default();
        for attr in Attr::ALL {
            let value = if *attr == Attr::ProductFamily {
                Some(product_family)
            } else {
                attributes.get(attr.json()).and_then(|v| v.as_str())
            };
            out.0[attr.index()] = value.unwrap_or_default().to_string();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_attribute_table_is_complete() {
        assert_eq!(super::Attr::ALL.len(), 19);
        for (i, a) in super::Attr::ALL.iter().enumerate() {
            assert_eq!(a.index(), i);
        }
    }
}
